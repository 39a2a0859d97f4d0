/*
 * Test-only oracle for tests/wolfssl_oracle.rs: wolfSSL's ECCSI (RFC 6507) and SAKKE
 * (RFC 6508) behind a line protocol. wolfSSL is GPL-2.0+, so this file is compiled at test
 * time against the system libwolfssl and is never linked into mikeyconf.
 *
 * Reads one command per line on stdin, all arguments hex, and writes one answer per line:
 *   verify KPAK ID MSG SIG      -> "verify 1" | "verify 0" | "verify err N"
 *   derive Z RSK ID ENC         -> "derive SSV" | "derive err N"  (ENC = 04||Rx||Ry||H)
 *   rsk Z RSK ID                -> "rsk 1" | "rsk 0" | "rsk err N"
 *   kms IDI IDR MSG             -> "kms KPAK SSK PVT SIG Z RSK SSV ENC": wolfSSL plays the
 *                                  KMS (new KSAK and z), issues SSK/PVT for IDI and the RSK
 *                                  for IDR, signs MSG as IDI and encapsulates a random SSV
 *                                  for IDR. Points are written 04||x||y.
 */
#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/eccsi.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/sakke.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BYTES 8192

static WC_RNG rng;

static int unhex(const char *h, byte *out, word32 *len) {
    size_t n = strlen(h);
    if (n % 2 || n / 2 > MAX_BYTES) return -1;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        if (sscanf(h + 2 * i, "%2x", &v) != 1) return -1;
        out[i] = (byte)v;
    }
    *len = (word32)(n / 2);
    return 0;
}

static void puthex(const byte *b, word32 n) {
    putchar(' ');
    for (word32 i = 0; i < n; i++) printf("%02x", b[i]);
}

/* Arguments are 04||x||y points; wolfSSL's raw forms are x||y. */
static const byte *raw_point(const byte *p, word32 *len) {
    if (*len > 0 && p[0] == 0x04) { (*len)--; return p + 1; }
    return p;
}

static void cmd_verify(byte a[4][MAX_BYTES], word32 l[4]) {
    EccsiKey key;
    ecc_point *pvt = NULL;
    byte hs[WC_MAX_DIGEST_SIZE];
    byte hsSz = sizeof(hs);
    int verified = 0, ret;
    word32 kl = l[0];
    const byte *kpak = raw_point(a[0], &kl);
    ret = wc_InitEccsiKey(&key, NULL, INVALID_DEVID);
    if (ret == 0) ret = wc_ImportEccsiPublicKey(&key, kpak, kl, 0);
    if (ret == 0 && (pvt = wc_ecc_new_point()) == NULL) ret = -1;
    if (ret == 0) ret = wc_DecodeEccsiPvtFromSig(&key, a[3], l[3], pvt);
    if (ret == 0) ret = wc_HashEccsiId(&key, WC_HASH_TYPE_SHA256, a[1], l[1], pvt, hs, &hsSz);
    if (ret == 0) ret = wc_SetEccsiHash(&key, hs, hsSz);
    if (ret == 0) ret = wc_VerifyEccsiHash(&key, WC_HASH_TYPE_SHA256, a[2], l[2], a[3], l[3], &verified);
    if (ret == 0) printf("verify %d\n", verified ? 1 : 0);
    else printf("verify err %d\n", ret);
    if (pvt) wc_ecc_del_point(pvt);
    wc_FreeEccsiKey(&key);
}

static int sakke_receiver(SakkeKey *key, ecc_point **rsk, byte a[4][MAX_BYTES], word32 l[4]) {
    word32 zl = l[0], rl = l[1];
    const byte *z = raw_point(a[0], &zl), *r = raw_point(a[1], &rl);
    int ret = wc_InitSakkeKey_ex(key, 128, ECC_SAKKE_1, NULL, INVALID_DEVID);
    if (ret == 0) ret = wc_ImportSakkePublicKey(key, z, zl, 0);
    if (ret == 0 && (*rsk = wc_ecc_new_point()) == NULL) ret = -1;
    if (ret == 0) ret = wc_DecodeSakkeRsk(key, r, rl, *rsk);
    return ret;
}

static void cmd_derive(byte a[4][MAX_BYTES], word32 l[4]) {
    SakkeKey key;
    ecc_point *rsk = NULL;
    byte h[16];
    int ret = sakke_receiver(&key, &rsk, a, l);
    if (ret == 0 && l[3] != 257 + 16) ret = -2;
    if (ret == 0) ret = wc_SetSakkeRsk(&key, rsk, NULL, 0);
    if (ret == 0) ret = wc_SetSakkeIdentity(&key, a[2], (word16)l[2]);
    if (ret == 0) {
        memcpy(h, a[3] + 257, 16);
        ret = wc_DeriveSakkeSSV(&key, WC_HASH_TYPE_SHA256, h, 16, a[3], 257);
    }
    if (ret == 0) { printf("derive"); puthex(h, 16); printf("\n"); }
    else printf("derive err %d\n", ret);
    if (rsk) wc_ecc_del_point(rsk);
    wc_FreeSakkeKey(&key);
}

static void cmd_rsk(byte a[4][MAX_BYTES], word32 l[4]) {
    SakkeKey key;
    ecc_point *rsk = NULL;
    int valid = 0;
    int ret = sakke_receiver(&key, &rsk, a, l);
    if (ret == 0) ret = wc_ValidateSakkeRsk(&key, a[2], (word16)l[2], rsk, &valid);
    if (ret == 0) printf("rsk %d\n", valid ? 1 : 0);
    else printf("rsk err %d\n", ret);
    if (rsk) wc_ecc_del_point(rsk);
    wc_FreeSakkeKey(&key);
}

static int eccsi_kms(byte a[4][MAX_BYTES], word32 l[4]) {
    EccsiKey key;
    mp_int ssk;
    ecc_point *pvt = wc_ecc_new_point();
    byte kpak[65], sskb[32], pvtb[65], hs[WC_MAX_DIGEST_SIZE], sig[129];
    byte hsSz = sizeof(hs);
    word32 kl = 64, sl = 32, pl = 64, gl = sizeof(sig);
    int ret = pvt ? wc_InitEccsiKey(&key, NULL, INVALID_DEVID) : -1;
    if (ret == 0) ret = mp_init(&ssk);
    if (ret == 0) ret = wc_MakeEccsiKey(&key, &rng);
    if (ret == 0) ret = wc_MakeEccsiPair(&key, &rng, WC_HASH_TYPE_SHA256, a[0], l[0], &ssk, pvt);
    if (ret == 0) ret = wc_ExportEccsiPublicKey(&key, kpak + 1, &kl, 1);
    if (ret == 0) ret = wc_EncodeEccsiSsk(&key, &ssk, sskb, &sl);
    if (ret == 0) ret = wc_EncodeEccsiPvt(&key, pvt, pvtb + 1, &pl, 1);
    if (ret == 0) ret = wc_HashEccsiId(&key, WC_HASH_TYPE_SHA256, a[0], l[0], pvt, hs, &hsSz);
    if (ret == 0) ret = wc_SetEccsiHash(&key, hs, hsSz);
    if (ret == 0) ret = wc_SetEccsiPair(&key, &ssk, pvt);
    if (ret == 0) ret = wc_SignEccsiHash(&key, &rng, WC_HASH_TYPE_SHA256, a[2], l[2], sig, &gl);
    if (ret == 0) {
        kpak[0] = pvtb[0] = 0x04;
        printf("kms");
        puthex(kpak, 65); puthex(sskb, sl); puthex(pvtb, 65); puthex(sig, gl);
    }
    mp_free(&ssk);
    if (pvt) wc_ecc_del_point(pvt);
    wc_FreeEccsiKey(&key);
    return ret;
}

static int sakke_kms(byte a[4][MAX_BYTES], word32 l[4]) {
    SakkeKey key;
    ecc_point *rsk = wc_ecc_new_point();
    byte z[257], rskb[257], ssv[16], h[16], auth[257];
    word32 zl = 256, rl = 256;
    word16 ssvSz = 16, authSz = sizeof(auth);
    int ret = rsk ? wc_InitSakkeKey_ex(&key, 128, ECC_SAKKE_1, NULL, INVALID_DEVID) : -1;
    if (ret == 0) ret = wc_MakeSakkeKey(&key, &rng);
    if (ret == 0) ret = wc_ExportSakkePublicKey(&key, z + 1, &zl, 1);
    if (ret == 0) ret = wc_MakeSakkeRsk(&key, a[1], (word16)l[1], rsk);
    if (ret == 0) ret = wc_EncodeSakkeRsk(&key, rsk, rskb + 1, &rl, 1);
    if (ret == 0) ret = wc_SetSakkeIdentity(&key, a[1], (word16)l[1]);
    if (ret == 0) ret = wc_GenerateSakkeSSV(&key, &rng, ssv, &ssvSz);
    if (ret == 0) {
        memcpy(h, ssv, 16);
        ret = wc_MakeSakkeEncapsulatedSSV(&key, WC_HASH_TYPE_SHA256, h, 16, auth, &authSz);
    }
    if (ret == 0) {
        z[0] = rskb[0] = 0x04;
        puthex(z, 257); puthex(rskb, 257); puthex(ssv, 16);
        puthex(auth, authSz);
        for (int i = 0; i < 16; i++) printf("%02x", h[i]);
        printf("\n");
    }
    if (rsk) wc_ecc_del_point(rsk);
    wc_FreeSakkeKey(&key);
    return ret;
}

static void cmd_kms(byte a[4][MAX_BYTES], word32 l[4]) {
    int ret = eccsi_kms(a, l);
    if (ret == 0) ret = sakke_kms(a, l);
    if (ret != 0) printf("\nkms err %d\n", ret);
}

int main(void) {
    static byte args[4][MAX_BYTES];
    static char line[8 * MAX_BYTES + 64];
    word32 lens[4];
    if (wolfCrypt_Init() != 0 || wc_InitRng(&rng) != 0) return 2;
    while (fgets(line, sizeof(line), stdin)) {
        char *cmd = strtok(line, " \r\n"), *tok;
        int n = 0, bad = 0;
        if (!cmd) continue;
        while (n < 4 && (tok = strtok(NULL, " \r\n")) != NULL) {
            if (unhex(tok, args[n], &lens[n]) != 0) bad = 1;
            n++;
        }
        if (bad) printf("%s err badhex\n", cmd);
        else if (!strcmp(cmd, "verify") && n == 4) cmd_verify(args, lens);
        else if (!strcmp(cmd, "derive") && n == 4) cmd_derive(args, lens);
        else if (!strcmp(cmd, "rsk") && n == 3) cmd_rsk(args, lens);
        else if (!strcmp(cmd, "kms") && n == 3) cmd_kms(args, lens);
        else printf("%s err usage\n", cmd);
        fflush(stdout);
    }
    wc_FreeRng(&rng);
    wolfCrypt_Cleanup();
    return 0;
}
