//! The invariants of docs/ARCHITECTURE.md that a machine can check, from
//! `cargo metadata` and the file tree:
//!
//! - only `store` depends on `sqlx`;
//! - the package of the `qcdc` binary does not depend on `maud`, `web` not on `clap`, and
//!   no package on both;
//! - `domain` pulls in no async or IO crate (tokio, sqlx, axum, maud), even indirectly;
//! - the cross-crate tests are a test target under the top-level `tests/`;
//! - no source file under `crates/*/src` is over [`MAX_LINES`] lines, but for the files
//!   of [`NOT_YET_SPLIT`];
//! - handlers never call handlers: no page module refers to another.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

/// The longest a source file may be.
const MAX_LINES: usize = 800;

/// Source files over [`MAX_LINES`] today, allowed until they are split. When one is
/// split (or gone), the test fails until its entry is removed from here, so the list
/// only shrinks.
const NOT_YET_SPLIT: &[&str] = &[];

/// The crates a pure model must not pull in.
const ASYNC_OR_IO: &[&str] = &["tokio", "sqlx", "axum", "maud"];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace above tests/")
        .to_path_buf()
}

/// `cargo metadata --format-version 1` of the workspace, read once.
fn metadata() -> &'static Value {
    static META: OnceLock<Value> = OnceLock::new();
    META.get_or_init(|| {
        let out = Command::new(env!("CARGO"))
            .current_dir(workspace_root())
            .args(["metadata", "--format-version", "1"])
            .output()
            .expect("run cargo metadata");
        assert!(
            out.status.success(),
            "cargo metadata: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("cargo metadata's JSON")
    })
}

/// The workspace's own packages.
fn members() -> Vec<&'static Value> {
    let meta = metadata();
    let ids: BTreeSet<&str> = meta["workspace_members"]
        .as_array()
        .expect("workspace_members")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter(|p| p["id"].as_str().is_some_and(|id| ids.contains(id)))
        .collect()
}

fn name(package: &Value) -> &str {
    package["name"].as_str().expect("a package name")
}

/// The crates a workspace package declares as dependencies of any kind (normal, dev,
/// build), by package name.
fn direct_dependencies(package: &Value) -> BTreeSet<&str> {
    package["dependencies"]
        .as_array()
        .expect("dependencies")
        .iter()
        .filter_map(|d| d["name"].as_str())
        .collect()
}

/// Every package by name → its declared dependencies.
fn dependency_map() -> BTreeMap<&'static str, BTreeSet<&'static str>> {
    members()
        .into_iter()
        .map(|p| (name(p), direct_dependencies(p)))
        .collect()
}

/// The names of the packages that `package` needs to build and run (its normal
/// dependencies and theirs, all the way down), from the resolved graph.
fn normal_closure(package: &str) -> BTreeSet<String> {
    let meta = metadata();
    let id = members()
        .into_iter()
        .find(|p| name(p) == package)
        .and_then(|p| p["id"].as_str())
        .unwrap_or_else(|| panic!("no package {package}"));
    let nodes: BTreeMap<&str, &Value> = meta["resolve"]["nodes"]
        .as_array()
        .expect("resolve.nodes")
        .iter()
        .map(|n| (n["id"].as_str().expect("node id"), n))
        .collect();
    let names: BTreeMap<&str, &str> = meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| (p["id"].as_str().expect("package id"), name(p)))
        .collect();
    let mut seen = BTreeSet::new();
    let mut todo = vec![id];
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().expect("deps") {
            let normal = dep["dep_kinds"]
                .as_array()
                .expect("dep_kinds")
                .iter()
                .any(|k| k["kind"].is_null());
            if normal {
                todo.push(dep["pkg"].as_str().expect("dep pkg"));
            }
        }
    }
    seen.remove(id);
    seen.into_iter().map(|id| names[id].to_string()).collect()
}

#[test]
fn only_store_depends_on_sqlx() {
    let users: Vec<&str> = dependency_map()
        .into_iter()
        .filter(|(_, deps)| deps.contains("sqlx"))
        .map(|(p, _)| p)
        .collect();
    assert_eq!(users, ["store"], "packages that depend on sqlx");
}

#[test]
fn the_binary_has_no_html_and_web_has_no_command_line() {
    let with_qcdc: Vec<&Value> = members()
        .into_iter()
        .filter(|p| {
            p["targets"]
                .as_array()
                .expect("targets")
                .iter()
                .any(|t| t["name"] == "qcdc" && t["kind"].as_array().expect("kind")[0] == "bin")
        })
        .collect();
    assert_eq!(with_qcdc.len(), 1, "one package holds the qcdc binary");
    let bin_package = name(with_qcdc[0]);
    let deps = dependency_map();
    assert!(
        !deps[bin_package].contains("maud"),
        "{bin_package} (the qcdc binary) depends on maud"
    );
    assert!(!deps["web"].contains("clap"), "web depends on clap");
    for (package, d) in &deps {
        assert!(
            !(d.contains("maud") && d.contains("clap")),
            "{package} depends on both maud and clap"
        );
    }
}

#[test]
fn domain_pulls_in_no_async_or_io_crate() {
    let closure = normal_closure("domain");
    let found: Vec<&&str> = ASYNC_OR_IO
        .iter()
        .filter(|c| closure.contains(**c))
        .collect();
    assert!(found.is_empty(), "domain depends on {found:?}");
}

#[test]
fn the_cross_crate_tests_are_a_test_target_under_top_level_tests() {
    let tests_dir = workspace_root().join("tests");
    let found = members().into_iter().any(|p| {
        p["targets"].as_array().expect("targets").iter().any(|t| {
            t["kind"]
                .as_array()
                .expect("kind")
                .iter()
                .any(|k| k == "test")
                && t["src_path"]
                    .as_str()
                    .is_some_and(|s| Path::new(s).starts_with(&tests_dir))
        })
    });
    assert!(
        found,
        "no test target with its source under {}",
        tests_dir.display()
    );
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `crates/*/src/**/*.rs`, as paths relative to the workspace root.
fn crate_sources() -> Vec<(String, PathBuf)> {
    let root = workspace_root();
    let mut files = Vec::new();
    let mut crates: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .expect("read crates/")
        .map(|e| e.expect("a directory entry").path().join("src"))
        .filter(|src| src.is_dir())
        .collect();
    crates.sort();
    for src in crates {
        rust_files(&src, &mut files);
    }
    files
        .into_iter()
        .map(|f| {
            let rel = f.strip_prefix(&root).expect("under the root");
            (rel.to_string_lossy().replace('\\', "/"), f)
        })
        .collect()
}

fn line_count(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
        .lines()
        .count()
}

#[test]
fn no_source_file_is_over_800_lines() {
    let mut problems = Vec::new();
    let sources: BTreeMap<String, PathBuf> = crate_sources().into_iter().collect();
    for (rel, path) in &sources {
        let n = line_count(path);
        if n > MAX_LINES && !NOT_YET_SPLIT.contains(&rel.as_str()) {
            problems.push(format!(
                "{rel} has {n} lines (at most {MAX_LINES}): split it into modules"
            ));
        }
    }
    for rel in NOT_YET_SPLIT {
        match sources.get(*rel) {
            None => problems.push(format!(
                "{rel} no longer exists: remove it from NOT_YET_SPLIT in tests/architecture.rs"
            )),
            Some(path) => {
                let n = line_count(path);
                if n <= MAX_LINES {
                    problems.push(format!(
                        "{rel} is split ({n} lines): remove it from NOT_YET_SPLIT in tests/architecture.rs"
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// The paths a Rust source names through `crate::` or `super::` (after `use` or inline),
/// each as the list of its segments resolved from the crate root; `module` is the
/// module path of the file (`["pages", "records"]`). Groups (`{a, b::{c}}`) are
/// expanded; comments are skipped.
fn referenced_paths(source: &str, module: &[String]) -> Vec<Vec<String>> {
    let code: String = source
        .lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let bytes = code.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_path = i == 0 || !(is_ident(bytes[i - 1]) || bytes[i - 1] == b':');
        if !starts_path {
            i += 1;
            continue;
        }
        let rest = &bytes[i..];
        let (base, mut at) = if rest.starts_with(b"crate::") {
            (Vec::new(), i + "crate::".len())
        } else if rest.starts_with(b"super::") {
            let mut at = i;
            let mut up = 0;
            while bytes[at..].starts_with(b"super::") {
                at += "super::".len();
                up += 1;
            }
            let keep = module.len().saturating_sub(up);
            (module[..keep].to_vec(), at)
        } else {
            i += 1;
            continue;
        };
        use_tree(bytes, &mut at, base, &mut out);
        i = at.max(i + 1);
    }
    out
}

/// Reads one use tree at `at` (`a::b`, `{a, b::c}`, `self`, `*`) below `prefix`.
fn use_tree(s: &[u8], at: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let skip_ws = |at: &mut usize| {
        while *at < s.len() && s[*at].is_ascii_whitespace() {
            *at += 1;
        }
    };
    skip_ws(at);
    if *at < s.len() && s[*at] == b'{' {
        *at += 1;
        loop {
            skip_ws(at);
            if *at >= s.len() || s[*at] == b'}' {
                *at += 1;
                return;
            }
            use_tree(s, at, prefix.clone(), out);
            skip_ws(at);
            if *at < s.len() && s[*at] == b',' {
                *at += 1;
            }
        }
    }
    let start = *at;
    while *at < s.len() && (s[*at].is_ascii_alphanumeric() || s[*at] == b'_') {
        *at += 1;
    }
    let ident = String::from_utf8_lossy(&s[start..*at]).into_owned();
    if ident.is_empty() || ident == "self" {
        if *at < s.len() && s[*at] == b'*' {
            *at += 1;
        }
        out.push(prefix);
        return;
    }
    let mut path = prefix;
    path.push(ident);
    if s[*at..].starts_with(b"::") {
        *at += 2;
        use_tree(s, at, path, out);
    } else {
        // `as` renames and anything after the path do not matter.
        out.push(path);
    }
}

/// Handlers never call handlers: a page module (a file or folder under
/// `crates/web/src/pages/`) names no other page module; what two pages share lives in
/// `views/` (or in the application crate).
#[test]
fn handlers_never_call_handlers() {
    let pages_dir = workspace_root().join("crates/web/src/pages");
    let mut files = Vec::new();
    rust_files(&pages_dir, &mut files);
    // The page modules: the files and folders of pages/, but mod.rs.
    let pages: BTreeSet<String> = std::fs::read_dir(&pages_dir)
        .expect("read pages/")
        .map(|e| e.expect("a directory entry").path())
        .filter_map(|p| {
            let stem = p.file_stem()?.to_str()?.to_string();
            (p.is_dir() || p.extension().is_some_and(|e| e == "rs")).then_some(stem)
        })
        .filter(|s| s != "mod")
        .collect();
    let mut problems = BTreeSet::new();
    for file in files {
        let rel = file.strip_prefix(&pages_dir).expect("under pages/");
        let mut module: Vec<String> = vec!["pages".into()];
        module.extend(
            rel.with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned()),
        );
        if module.last().is_some_and(|m| m == "mod") {
            module.pop();
        }
        let own = module.get(1).cloned();
        let source = std::fs::read_to_string(&file).expect("read a page");
        for path in referenced_paths(&source, &module) {
            // `crate::pages::x` or `crate::x` (the crate root re-exports the pages).
            let page = match path.first().map(String::as_str) {
                Some("pages") => path.get(1),
                _ => path.first(),
            };
            if let Some(page) = page.filter(|p| pages.contains(*p)) {
                if Some(page) != own.as_ref() {
                    problems.insert(format!(
                        "pages/{} refers to the page {page} ({})",
                        rel.display(),
                        path.join("::")
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "handlers call handlers; move what they share to views/ or the app crate:\n{}",
        problems.into_iter().collect::<Vec<_>>().join("\n")
    );
}
