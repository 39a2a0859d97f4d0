//! The import graph between the source files of `src/`: no circles, no upward arrows
//! (issue 20, part 2; the rule is written down in ARCHITECTURE.md).
//!
//! Run it with `cargo test --test import_graph`. It reads every file of the library and of the
//! `mikeyconf` binary from `lib.rs` and `main.rs` along their `mod` declarations, and draws an
//! arrow from file A to file B when A names B: in a `use` item or in a path written out in
//! code (`crate::plural::counted(..)`, `super::super::SCHEMA_FILES`, `mikey::decode(..)` after
//! `use crate::mikey;`). A path lands on the file of the deepest module it names, so a `pub use`
//! re-export in a `mod.rs` is an arrow to that `mod.rs`. A `mod child;` declaration is
//! containment, not an import, and draws no arrow; nor does a file naming a module that
//! encloses it (`use super::Engine` in `engine/trace.rs`, anything in `lib.rs`): a folder's
//! `mod.rs` is the scope its files share, and may name them. Between sibling files, between
//! folders and from a folder's files to another folder, every arrow counts.
//!
//! Two tests over that graph:
//! * [`no_import_cycles`]: no strongly connected component of more than one file, except the
//!   check registry's own: `checks/kind.rs` lists the kinds (and names each domain's context),
//!   and the kinds import their domain's prelude. Those arrows out of `checks/kind.rs` into a
//!   domain folder are left out; every other circle fails, named file by file with the lines
//!   that make it.
//! * [`no_upward_imports`]: the engine and the readers never import a renderer or the suite,
//!   and the renderers never import the suite.
//!
//! The reader is a small Rust lexer (comments, strings, raw strings, chars and lifetimes
//! skipped), not a parser: a path written inside a macro's arguments counts like any other;
//! names brought in by a glob (`use super::*`) are followed no further than the glob's module.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The library's name, as the binary spells it (`mikeyconf::internals::engine::Engine`).
const LIB: &str = "mikeyconf";

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Punct(char),
}

/// Tokens with their line numbers; literals other than strings, comments and lifetimes dropped.
fn lex(src: &str) -> Vec<(Tok, usize)> {
    let b: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let ident_start = |c: char| c.is_alphabetic() || c == '_';
    let ident_char = |c: char| c.is_alphanumeric() || c == '_';
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if b[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if let Some(len) = raw_string_start(&b[i..]) {
            // r"..", r#".."#, br".." : no escapes, ends at '"' and as many '#'.
            let hashes = len - 1 - usize::from(c == 'b') - 1;
            let start_line = line;
            i += len;
            let body_start = i;
            loop {
                if i >= b.len() {
                    break;
                }
                if b[i] == '"'
                    && b[i + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|&&h| h == '#')
                        .count()
                        == hashes
                {
                    break;
                }
                if b[i] == '\n' {
                    line += 1;
                }
                i += 1;
            }
            let text: String = b[body_start..i.min(b.len())].iter().collect();
            out.push((Tok::Str(text), start_line));
            i += 1 + hashes;
        } else if c == '"' || (c == 'b' && next == Some('"')) {
            i += if c == 'b' { 2 } else { 1 };
            let start_line = line;
            let mut text = String::new();
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    text.push(b[i]);
                    i += 1;
                }
                if i < b.len() {
                    if b[i] == '\n' {
                        line += 1;
                    }
                    text.push(b[i]);
                }
                i += 1;
            }
            i += 1;
            out.push((Tok::Str(text), start_line));
        } else if c == '\'' || (c == 'b' && next == Some('\'')) {
            // A char literal ('x', '\n', '\u{..}', b'x') or a lifetime ('a, 'static).
            let q = if c == 'b' { i + 1 } else { i };
            if b.get(q + 1) == Some(&'\\') {
                i = q + 2;
                while i < b.len() && b[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if b.get(q + 2) == Some(&'\'') {
                i = q + 3;
            } else {
                i = q + 1;
                while i < b.len() && ident_char(b[i]) {
                    i += 1;
                }
            }
        } else if c == 'r' && next == Some('#') && b.get(i + 2).is_some_and(|&c| ident_start(c)) {
            i += 2; // a raw identifier: r#type is the identifier `type`
        } else if ident_start(c) {
            let s = i;
            while i < b.len() && ident_char(b[i]) {
                i += 1;
            }
            out.push((Tok::Ident(b[s..i].iter().collect()), line));
        } else if c.is_ascii_digit() {
            while i < b.len()
                && (ident_char(b[i])
                    || (b[i] == '.' && b.get(i + 1).is_some_and(|c| c.is_ascii_digit())))
            {
                i += 1;
            }
        } else {
            out.push((Tok::Punct(c), line));
            i += 1;
        }
    }
    out
}

/// The length of a raw string's opening (`r"`, `r##"`, `br#"`), if one starts here.
fn raw_string_start(b: &[char]) -> Option<usize> {
    let mut i = 0;
    if b.first() == Some(&'b') {
        i += 1;
    }
    if b.get(i) != Some(&'r') {
        return None;
    }
    i += 1;
    while b.get(i) == Some(&'#') {
        i += 1;
    }
    (b.get(i) == Some(&'"')).then_some(i + 1)
}

/// One source file of a crate, with the module path it is the root of.
struct SourceFile {
    /// Relative to the package, `src/engine/mikey.rs`.
    path: String,
    /// The crate it belongs to: `crate` (the library) or `bin` (the `mikeyconf` binary).
    krate: &'static str,
    tokens: Vec<(Tok, usize)>,
}

/// A path named in a file, before it is resolved.
struct Named {
    file: usize,
    line: usize,
    /// The module the path was written in (crate-relative segments).
    scope: Vec<String>,
    segments: Vec<String>,
    /// The name a `use` brings into `scope`, if it is a `use` (not a glob).
    binds: Option<String>,
}

/// Names a `use` binds: (crate, module, name) → (crate, path from its root).
type Bound = HashMap<(&'static str, Vec<String>, String), (&'static str, Vec<String>)>;

/// Every module of both crates: (crate, module path) → the file that holds it.
type Modules = HashMap<(&'static str, Vec<String>), usize>;

struct Crates {
    files: Vec<SourceFile>,
    modules: Modules,
    named: Vec<Named>,
}

fn read_crates(root: &Path) -> Crates {
    let mut c = Crates {
        files: Vec::new(),
        modules: HashMap::new(),
        named: Vec::new(),
    };
    c.load(root, "crate", &root.join("src/lib.rs"), vec![]);
    c.load(root, "bin", &root.join("src/main.rs"), vec![]);
    c
}

impl Crates {
    /// Reads one file (the root of module `module`), and the files its `mod x;` name.
    fn load(&mut self, root: &Path, krate: &'static str, path: &Path, module: Vec<String>) {
        let src =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let file = self.files.len();
        self.files.push(SourceFile {
            path: rel,
            krate,
            tokens: lex(&src),
        });
        self.modules.insert((krate, module.clone()), file);
        // The folder where this file's child modules live: `src/a/` for `src/a.rs` and
        // `src/a/mod.rs`; `src/` for the crate roots.
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let dir = if module.is_empty() || stem == "mod" {
            path.parent().unwrap().to_path_buf()
        } else {
            path.parent().unwrap().join(&stem)
        };
        let tokens = self.files[file].tokens.clone();
        let mut children = Vec::new();
        self.scan(
            file,
            &tokens,
            &module,
            (&dir, path.parent().unwrap()),
            &mut children,
        );
        for (child_module, child_path) in children {
            self.load(root, krate, &child_path, child_module);
        }
    }

    /// Walks one file's tokens: inline modules, `mod x;` declarations, `use` items and paths.
    fn scan(
        &mut self,
        file: usize,
        t: &[(Tok, usize)],
        module: &[String],
        (dir, file_dir): (&Path, &Path),
        children: &mut Vec<(Vec<String>, PathBuf)>,
    ) {
        let krate = self.files[file].krate;
        // (module path, brace depth at which its block closes)
        let mut scopes: Vec<(Vec<String>, usize)> = vec![(module.to_vec(), usize::MAX)];
        let mut depth = 0usize;
        let mut path_attr: Option<String> = None;
        let mut i = 0;
        while i < t.len() {
            let scope = scopes.last().unwrap().0.clone();
            match &t[i].0 {
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') => {
                    depth = depth.saturating_sub(1);
                    if scopes.last().unwrap().1 == depth {
                        scopes.pop();
                    }
                }
                Tok::Punct('#')
                    if matches!(t.get(i + 1), Some((Tok::Punct('['), _)))
                        && ident_is(t.get(i + 2), "path") =>
                {
                    if let Some((Tok::Str(p), _)) = t.get(i + 4) {
                        path_attr = Some(p.clone());
                    }
                }
                Tok::Ident(kw) if kw == "mod" => {
                    if let Some((Tok::Ident(name), _)) = t.get(i + 1) {
                        let mut child = scope.clone();
                        child.push(name.clone());
                        match t.get(i + 2) {
                            Some((Tok::Punct(';'), _)) => {
                                // An inline module's file children would live one folder
                                // down; none of ours has any.
                                let p = match path_attr.take() {
                                    // `#[path]` is relative to the declaring file's folder.
                                    Some(p) => file_dir.join(p),
                                    None => {
                                        let flat = dir.join(format!("{name}.rs"));
                                        if flat.exists() {
                                            flat
                                        } else {
                                            dir.join(name).join("mod.rs")
                                        }
                                    }
                                };
                                children.push((child, p));
                                i += 3;
                                continue;
                            }
                            Some((Tok::Punct('{'), _)) => {
                                self.modules.insert((krate, child.clone()), file);
                                scopes.push((child, depth));
                                depth += 1;
                                i += 3;
                                continue;
                            }
                            _ => {}
                        }
                    }
                }
                Tok::Ident(kw) if kw == "use" => {
                    let line = t[i].1;
                    let mut j = i + 1;
                    let mut found = Vec::new();
                    use_tree(t, &mut j, Vec::new(), &mut found);
                    for (segments, binds) in found {
                        self.named.push(Named {
                            file,
                            line,
                            scope: scope.clone(),
                            segments,
                            binds,
                        });
                    }
                    i = j;
                    continue;
                }
                Tok::Ident(first)
                    if matches!(t.get(i + 1), Some((Tok::Punct(':'), _)))
                        && matches!(t.get(i + 2), Some((Tok::Punct(':'), _))) =>
                {
                    // A path written out in code: `a::b::c`. A path continuing one (`x.y::<T>`
                    // or `<T as a::B>`) is read from its first segment all the same.
                    let preceded_by_colons = i >= 2
                        && matches!(t[i - 1].0, Tok::Punct(':'))
                        && matches!(t[i - 2].0, Tok::Punct(':'));
                    if !preceded_by_colons {
                        let line = t[i].1;
                        let mut segments = vec![first.clone()];
                        let mut j = i + 1;
                        while matches!(t.get(j), Some((Tok::Punct(':'), _)))
                            && matches!(t.get(j + 1), Some((Tok::Punct(':'), _)))
                        {
                            match t.get(j + 2) {
                                Some((Tok::Ident(s), _)) => {
                                    segments.push(s.clone());
                                    j += 3;
                                }
                                _ => break,
                            }
                        }
                        self.named.push(Named {
                            file,
                            line,
                            scope: scope.clone(),
                            segments,
                            binds: None,
                        });
                        i = j;
                        continue;
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }
}

fn ident_is(t: Option<&(Tok, usize)>, s: &str) -> bool {
    matches!(t, Some((Tok::Ident(x), _)) if x == s)
}

/// Reads one `use` tree from `*j` (after `use`, or inside braces) into (path, name bound).
/// A glob binds nothing; `a::{self, b as c}` yields `a` bound to `a` and `a::b` bound to `c`.
fn use_tree(
    t: &[(Tok, usize)],
    j: &mut usize,
    mut prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>)>,
) {
    loop {
        match t.get(*j).map(|x| &x.0) {
            Some(Tok::Punct(':')) => *j += 1,
            Some(Tok::Punct('$')) => *j += 1, // $crate in a macro
            Some(Tok::Ident(s)) if s == "as" => {
                *j += 1;
                if let Some((Tok::Ident(alias), _)) = t.get(*j) {
                    *j += 1;
                    let alias = (alias != "_").then(|| alias.clone());
                    out.push((prefix, alias));
                }
                return;
            }
            Some(Tok::Ident(s)) if s == "self" && !prefix.is_empty() => {
                *j += 1;
                let last = prefix.last().cloned();
                if matches!(t.get(*j), Some((Tok::Ident(a), _)) if a == "as") {
                    continue;
                }
                out.push((prefix, last));
                return;
            }
            Some(Tok::Ident(s)) => {
                prefix.push(s.clone());
                *j += 1;
            }
            Some(Tok::Punct('*')) => {
                *j += 1;
                out.push((prefix, None));
                return;
            }
            Some(Tok::Punct('{')) => {
                *j += 1;
                loop {
                    match t.get(*j).map(|x| &x.0) {
                        Some(Tok::Punct('}')) => {
                            *j += 1;
                            return;
                        }
                        Some(Tok::Punct(',')) => *j += 1,
                        None => return,
                        _ => use_tree(t, j, prefix.clone(), out),
                    }
                }
            }
            // `;` ends the item; `,` and `}` end a branch of a braced group.
            Some(Tok::Punct(';')) => {
                *j += 1;
                let last = prefix.last().cloned();
                out.push((prefix, last));
                return;
            }
            _ => {
                let last = prefix.last().cloned();
                if !prefix.is_empty() {
                    out.push((prefix, last));
                }
                return;
            }
        }
    }
}

/// One arrow: the file that names, the file named, and where.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Arrow {
    from: usize,
    to: usize,
    line: usize,
    /// The path as resolved from the crate root (`crate::plural::counted`).
    path: String,
}

struct Graph {
    files: Vec<String>,
    /// Each file's crate: `crate` (the library) or `bin` (the command line).
    krates: Vec<&'static str>,
    arrows: Vec<Arrow>,
}

fn import_graph() -> Graph {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let c = read_crates(root);
    // Names bound by `use` in each module: (crate, module, name) → absolute path. Resolved in
    // rounds, since one `use` may start from a name another brought in.
    let mut bound: Bound = HashMap::new();
    for _ in 0..4 {
        for n in &c.named {
            if let (Some(name), Some(abs)) = (&n.binds, absolute(&c, &bound, n)) {
                bound.insert((c.files[n.file].krate, n.scope.clone(), name.clone()), abs);
            }
        }
    }
    let mut arrows = BTreeSet::new();
    for n in &c.named {
        let Some((krate, abs)) = absolute(&c, &bound, n) else {
            continue;
        };
        // The deepest module the path names.
        let to = (0..=abs.len())
            .rev()
            .find_map(|k| c.modules.get(&(krate, abs[..k].to_vec())));
        if let Some(&to) = to {
            if to != n.file && !c.encloses(to, n.file) {
                let path = std::iter::once(if krate == "bin" { "bin" } else { "crate" })
                    .chain(abs.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join("::");
                arrows.insert(Arrow {
                    from: n.file,
                    to,
                    line: n.line,
                    path,
                });
            }
        }
    }
    Graph {
        files: c.files.iter().map(|f| f.path.clone()).collect(),
        krates: c.files.iter().map(|f| f.krate).collect(),
        arrows: arrows.into_iter().collect(),
    }
}

impl Crates {
    /// Whether file `outer` holds a module that encloses file `inner`'s module (`src/engine/mod.rs`
    /// encloses `src/engine/trace.rs`; `src/lib.rs` encloses every file of the library).
    fn encloses(&self, outer: usize, inner: usize) -> bool {
        let krate = self.files[inner].krate;
        let module_of = |f: usize| {
            self.modules
                .iter()
                .filter(|((k, _), &file)| *k == krate && file == f)
                .map(|((_, m), _)| m.clone())
                .min_by_key(|m| m.len())
        };
        match (module_of(outer), module_of(inner)) {
            (Some(o), Some(i)) => {
                self.files[outer].krate == krate && i.len() > o.len() && i.starts_with(&o)
            }
            _ => false,
        }
    }
}

/// A named path as (crate, segments from that crate's root), or `None` for a path outside
/// both crates (`std::..`, `serde::..`, a local enum's variant).
fn absolute(c: &Crates, bound: &Bound, n: &Named) -> Option<(&'static str, Vec<String>)> {
    let krate = c.files[n.file].krate;
    let s = &n.segments;
    let first = s.first()?.as_str();
    let (krate, mut base, rest) = match first {
        "crate" => (krate, vec![], &s[1..]),
        // `mikeyconf::internals::engine` is the one door to the private `crate::engine`
        // (lib.rs re-exports each module's items there under the module's own name).
        LIB if krate == "bin" && s.get(1).map(String::as_str) == Some("internals") => {
            ("crate", vec![], &s[2..])
        }
        LIB if krate == "bin" => ("crate", vec![], &s[1..]),
        "self" => (krate, n.scope.clone(), &s[1..]),
        "super" => {
            let mut base = n.scope.clone();
            let mut k = 0;
            while s.get(k).map(String::as_str) == Some("super") {
                base.pop();
                k += 1;
            }
            (krate, base, &s[k..])
        }
        _ => {
            let mut child = n.scope.clone();
            child.push(first.to_string());
            if c.modules.contains_key(&(krate, child.clone())) {
                (krate, child, &s[1..])
            } else if let Some((k, abs)) = bound.get(&(krate, n.scope.clone(), first.to_string())) {
                (*k, abs.clone(), &s[1..])
            } else {
                return None;
            }
        }
    };
    base.extend(rest.iter().cloned());
    Some((krate, base))
}

/// Tarjan's strongly connected components of the graph without `left_out` arrows.
fn components(g: &Graph, keep: impl Fn(&Arrow) -> bool) -> Vec<Vec<usize>> {
    let n = g.files.len();
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
    for a in g.arrows.iter().filter(|a| keep(a)) {
        next[a.from].push(a.to);
    }
    struct State {
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        counter: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(v: usize, next: &[Vec<usize>], s: &mut State) {
        s.index[v] = Some(s.counter);
        s.low[v] = s.counter;
        s.counter += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in &next[v] {
            match s.index[w] {
                None => {
                    visit(w, next, s);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut comp = Vec::new();
            loop {
                let w = s.stack.pop().unwrap();
                s.on_stack[w] = false;
                comp.push(w);
                if w == v {
                    break;
                }
            }
            comp.sort();
            s.out.push(comp);
        }
    }
    let mut s = State {
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        counter: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(v, &next, &mut s);
        }
    }
    s.out.into_iter().filter(|c| c.len() > 1).collect()
}

/// The check registry's own arrows: `checks/kind.rs` naming a kind or a domain's context in
/// `checks/<domain>/`. The kinds import their domain's prelude, which imports `kind.rs`; that
/// circle is the registry's design (one list of kinds), and the only one allowed.
fn registry_listing(g: &Graph, a: &Arrow) -> bool {
    g.files[a.from] == "src/checks/kind.rs" && {
        let to = &g.files[a.to];
        to.strip_prefix("src/checks/")
            .is_some_and(|rest| rest.contains('/'))
    }
}

/// A shortest circle through the component's first file, as file names.
fn one_cycle(g: &Graph, comp: &[usize], keep: &impl Fn(&Arrow) -> bool) -> Vec<usize> {
    let inside: BTreeSet<usize> = comp.iter().copied().collect();
    let start = comp[0];
    let mut prev: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for a in g
            .arrows
            .iter()
            .filter(|a| a.from == v && inside.contains(&a.to) && keep(a))
        {
            if a.to == start {
                let mut cycle = vec![v];
                let mut w = v;
                while w != start {
                    w = prev[&w];
                    cycle.push(w);
                }
                cycle.reverse();
                return cycle;
            }
            if let std::collections::btree_map::Entry::Vacant(e) = prev.entry(a.to) {
                e.insert(v);
                queue.push_back(a.to);
            }
        }
    }
    comp.to_vec()
}

fn describe(g: &Graph, comp: &[usize], keep: &impl Fn(&Arrow) -> bool) -> String {
    let cycle = one_cycle(g, comp, keep);
    let mut s = String::new();
    let names: Vec<&str> = comp.iter().map(|&f| g.files[f].as_str()).collect();
    s += &format!("a circle of {} files: {}\n", comp.len(), names.join(", "));
    let around: Vec<&str> = cycle
        .iter()
        .chain(cycle.first())
        .map(|&f| g.files[f].as_str())
        .collect();
    s += &format!("  for one: {}\n", around.join(" -> "));
    let inside: BTreeSet<usize> = comp.iter().copied().collect();
    for a in g
        .arrows
        .iter()
        .filter(|a| inside.contains(&a.from) && inside.contains(&a.to) && keep(a))
    {
        s += &format!(
            "  {}:{} -> {} ({})\n",
            g.files[a.from], a.line, g.files[a.to], a.path
        );
    }
    s
}

#[test]
fn no_import_cycles() {
    let g = import_graph();
    let keep = |a: &Arrow| !registry_listing(&g, a);
    let found = components(&g, keep);
    let report: Vec<String> = found.iter().map(|c| describe(&g, c, &keep)).collect();
    assert!(
        found.is_empty(),
        "{} import circle(s) between source files (see ARCHITECTURE.md):\n{}",
        found.len(),
        report.join("\n")
    );
}

/// What the exemption leaves out is the registry's circle and nothing else: with every arrow
/// kept, the one circle is the one through `checks/kind.rs`.
#[test]
fn only_the_registry_circle_is_left_out() {
    let g = import_graph();
    let all = components(&g, |_| true);
    let kind = g
        .files
        .iter()
        .position(|f| f == "src/checks/kind.rs")
        .unwrap();
    assert_eq!(
        all.len(),
        1,
        "{:?}",
        all.iter()
            .map(|c| describe(&g, c, &|_: &Arrow| true))
            .collect::<Vec<_>>()
    );
    assert!(all[0].contains(&kind));
    assert!(all[0]
        .iter()
        .all(|&f| g.files[f].starts_with("src/checks/")));
}

/// The files that are the engine or a reader: what judges inputs, and what reads them.
fn is_engine_or_reader(path: &str) -> bool {
    const FOLDERS: &[&str] = &[
        "src/engine/",
        "src/exchange/",
        "src/sip/",
        "src/mikey/",
        "src/trace/",
        "src/xsd/",
        "src/format/",
        "src/cpns/",
        "src/crypto/",
        "src/keyring/",
        "src/value/",
        "src/checks/",
    ];
    const FILES: &[&str] = &[
        "src/pcap.rs",
        "src/xml.rs",
        "src/yaml.rs",
        "src/bounded.rs",
        "src/line_index.rs",
        "src/finding.rs",
        "src/rules.rs",
    ];
    FOLDERS.iter().any(|f| path.starts_with(f)) || FILES.contains(&path)
}

/// The layers above them: the renderers and the suite.
fn is_renderer_or_suite(path: &str) -> bool {
    path.starts_with("src/render/") || path == "src/suite.rs"
}

#[test]
fn no_upward_imports() {
    let g = import_graph();
    let upward: Vec<String> = g
        .arrows
        .iter()
        .filter(|a| {
            let (from, to) = (&g.files[a.from], &g.files[a.to]);
            (is_engine_or_reader(from) && is_renderer_or_suite(to))
                || (from.starts_with("src/render/") && to == "src/suite.rs")
        })
        .map(|a| {
            format!(
                "  {}:{} -> {} ({})",
                g.files[a.from], a.line, g.files[a.to], a.path
            )
        })
        .collect();
    assert!(
        upward.is_empty(),
        "{} arrow(s) from the engine or a reader up to a renderer or the suite, or from a \
         renderer to the suite (see ARCHITECTURE.md):\n{}",
        upward.len(),
        upward.join("\n")
    );
}

/// The reader itself: it finds the arrows it is meant to find, so an empty answer above
/// means no circle, not a blind reader.
#[test]
fn the_reader_sees_every_kind_of_path() {
    let g = import_graph();
    let has = |from: &str, to: &str| {
        g.arrows
            .iter()
            .any(|a| g.files[a.from] == from && g.files[a.to] == to)
    };
    // `use crate::..` and `use super::{..}`.
    assert!(has("src/rules.rs", "src/checks/kind.rs"));
    assert!(has("src/checks/kind.rs", "src/checks/mikey/mod.rs"));
    // `crate::render::RunInfo` written out in code, with no `use`.
    assert!(has("src/config.rs", "src/render/mod.rs"));
    // A file naming the module that encloses it (`super::super::SCHEMA_FILES`) is no arrow.
    assert!(!has("src/engine/schemas.rs", "src/engine/mod.rs"));
    // The binary naming the library's facade.
    assert!(has("src/main.rs", "src/lib.rs"));
    // Every file was read.
    let listed = g.files.len();
    let on_disk = walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert_eq!(
        listed, on_disk,
        "files under src/ not reached from lib.rs or main.rs by `mod`"
    );
}

/// The command line is a client of the library's facade (issue 24): every library item its
/// files name is one `src/lib.rs` exports (the facade), none behind `mikeyconf::internals`,
/// so the facade is enough to build a tool like it.
#[test]
fn the_command_line_uses_only_the_facade() {
    let g = import_graph();
    let bin_files = (0..g.files.len()).filter(|&f| g.krates[f] == "bin").count();
    assert!(bin_files >= 2, "the command line's files were not read");
    let behind: Vec<String> = (g.arrows.iter())
        .filter(|a| g.krates[a.from] == "bin" && g.krates[a.to] == "crate")
        .filter(|a| g.files[a.to] != "src/lib.rs")
        .map(|a| format!("{}:{}: {}", g.files[a.from], a.line, a.path))
        .collect();
    assert!(
        behind.is_empty(),
        "the command line reaches past the facade:\n{}",
        behind.join("\n")
    );
}

#[test]
fn the_lexer_skips_what_is_not_code() {
    let t = lex("// crate::a::b\n/* crate::c /* nested */ */ let s = r#\"crate::d\"#; let c = '\"'; fn f<'a>(x: &'a str) { crate::e::f(b'x') }");
    let idents: Vec<String> = t
        .into_iter()
        .filter_map(|(t, _)| if let Tok::Ident(s) = t { Some(s) } else { None })
        .collect();
    assert_eq!(
        idents,
        ["let", "s", "let", "c", "fn", "f", "x", "str", "crate", "e", "f"]
    );
}

fn walk(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p)
            } else {
                usize::from(p.extension().is_some_and(|x| x == "rs"))
            }
        })
        .sum()
}

/// What judges: the engine, the check kinds, the rule tables, the renderers and the runners.
fn is_judging(path: &str) -> bool {
    const FOLDERS: &[&str] = &[
        "src/engine/",
        "src/checks/",
        "src/render/",
        "src/format/",
        "src/api/",
        "src/spec/",
        "src/active/probe/",
    ];
    const FILES: &[&str] = &[
        "src/rules.rs",
        "src/requirements.rs",
        "src/selection.rs",
        "src/profile.rs",
        "src/suite.rs",
    ];
    FOLDERS.iter().any(|f| path.starts_with(f)) || FILES.contains(&path)
}

/// The reference BSM (`mikeyconf serve`, issue 25) is built from the codec, the crypto and the
/// keyring only, never from the rules or checks it is meant to test: a wrong rule must not be
/// mirrored by the server that proves the probe. Nothing it reaches, directly or through
/// another file, judges.
#[test]
fn the_reference_bsm_reaches_no_judging_code() {
    let g = import_graph();
    let serve: Vec<usize> = (0..g.files.len())
        .filter(|&f| g.files[f].starts_with("src/active/serve/"))
        .collect();
    assert!(!serve.is_empty(), "no file under src/active/serve/");
    let mut reached: Vec<Option<usize>> = vec![None; g.files.len()];
    let mut todo = serve.clone();
    for &f in &serve {
        reached[f] = Some(f);
    }
    while let Some(f) = todo.pop() {
        for a in g.arrows.iter().filter(|a| a.from == f) {
            if reached[a.to].is_none() {
                reached[a.to] = Some(f);
                todo.push(a.to);
            }
        }
    }
    let bad: Vec<String> = (0..g.files.len())
        .filter(|&f| reached[f].is_some() && is_judging(&g.files[f]))
        .map(|f| {
            let mut chain = vec![g.files[f].clone()];
            let mut at = f;
            while let Some(from) = reached[at].filter(|&p| p != at) {
                chain.push(g.files[from].clone());
                at = from;
            }
            chain.reverse();
            format!("  {}", chain.join(" -> "))
        })
        .collect();
    assert!(
        bad.is_empty(),
        "the reference BSM reaches judging code (ARCHITECTURE.md, issue 25):\n{}",
        bad.join("\n")
    );
}
