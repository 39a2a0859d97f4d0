//! Bounds-checked cursor over the input that keeps absolute offsets.

use super::field::Field;
use super::issue::WireIssue;

/// A cursor over `&'a [u8]`. `base` is the absolute offset of `data[0]` in
/// the whole message, so sub-readers report absolute offsets too.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader {
            data,
            pos: 0,
            base: 0,
        }
    }
    pub fn with_base(data: &'a [u8], base: usize) -> Self {
        Reader { data, pos: 0, base }
    }
    /// Absolute offset of the next octet.
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }
    pub fn peek_u8(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }
    /// Takes exactly `n` octets of a fixed-size field.
    pub fn take(&mut self, n: usize, what: &'static str) -> Result<Field<&'a [u8]>, WireIssue> {
        if n > self.remaining() {
            return Err(WireIssue::Truncated {
                what,
                offset: self.offset(),
                needed: n,
                available: self.remaining(),
            });
        }
        let f = Field::new(&self.data[self.pos..self.pos + n], self.offset(), n);
        self.pos += n;
        Ok(f)
    }
    /// Takes `declared` octets announced by a length field at `len_offset`.
    pub fn take_declared(
        &mut self,
        declared: usize,
        what: &'static str,
        len_offset: usize,
    ) -> Result<Field<&'a [u8]>, WireIssue> {
        if declared > self.remaining() {
            return Err(WireIssue::LengthOverrun {
                what,
                offset: len_offset,
                declared,
                available: self.remaining(),
            });
        }
        self.take(declared, what)
    }
    /// Takes the rest of the data.
    pub fn take_rest(&mut self, what: &'static str) -> Field<&'a [u8]> {
        let n = self.remaining();
        // cannot fail: n == remaining
        let f = Field::new(&self.data[self.pos..], self.offset(), n);
        let _ = what;
        self.pos += n;
        f
    }
    /// A sub-reader over the next `len` octets declared at `len_offset`.
    pub fn sub(
        &mut self,
        len: usize,
        what: &'static str,
        len_offset: usize,
    ) -> Result<Reader<'a>, WireIssue> {
        let f = self.take_declared(len, what, len_offset)?;
        Ok(Reader::with_base(f.value, f.offset))
    }
    pub fn u8(&mut self, what: &'static str) -> Result<Field<u8>, WireIssue> {
        let f = self.take(1, what)?;
        Ok(f.with(f.value[0]))
    }
    pub fn u16(&mut self, what: &'static str) -> Result<Field<u16>, WireIssue> {
        let f = self.take(2, what)?;
        Ok(f.with(u16::from_be_bytes([f.value[0], f.value[1]])))
    }
    pub fn u32(&mut self, what: &'static str) -> Result<Field<u32>, WireIssue> {
        let f = self.take(4, what)?;
        let b = f.value;
        Ok(f.with(u32::from_be_bytes([b[0], b[1], b[2], b[3]])))
    }
    pub fn u64(&mut self, what: &'static str) -> Result<Field<u64>, WireIssue> {
        let f = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(f.value);
        Ok(f.with(u64::from_be_bytes(a)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_absolute() {
        let data = [1u8, 2, 3, 4, 5, 6];
        let mut r = Reader::new(&data);
        assert_eq!(r.u8("a").unwrap().value, 1);
        let mut s = r.sub(3, "sub", 0).unwrap();
        let f = s.u16("b").unwrap();
        assert_eq!((f.value, f.offset, f.len), (0x0203, 1, 2));
        assert_eq!(s.offset(), 3);
        assert!(matches!(
            s.u16("c"),
            Err(WireIssue::Truncated {
                offset: 3,
                needed: 2,
                available: 1,
                ..
            })
        ));
        assert!(matches!(
            r.take_declared(0xFFFF, "big", 9),
            Err(WireIssue::LengthOverrun {
                offset: 9,
                declared: 0xFFFF,
                available: 2,
                ..
            })
        ));
    }
}
