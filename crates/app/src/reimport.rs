//! Importing the same thing twice: a file already imported (same kind, same SHA-256,
//! not undone) is refused unless the user says "again"; rows identical to live records
//! are listed in the preview and in `--dry-run`. Undo is in the store
//! (`Store::undo_import`). The CLI and `/import` both go through [`run_checked`].

use std::collections::HashSet;

use domain::Kind;
use sha2::{Digest, Sha256};
use store::import_history::ImportInfo;
use store::imports::ImportRow;
use store::{Actor, Store, WardId};

use crate::import::{self, ImportError, Plan};

/// The file's SHA-256, as the import history keeps it.
pub fn content_hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// What the file has in common with what is stored already.
#[derive(Debug, Clone, Default)]
pub struct Repeat {
    /// Earlier imports of this very file (not undone).
    pub previous: Vec<ImportInfo>,
    /// Data rows (numbered from 1) identical to a live record in every column.
    pub identical: Vec<usize>,
}

/// How a checked import went.
#[derive(Debug)]
pub struct Checked {
    pub plan: Plan,
    pub repeat: Repeat,
    /// False for a dry run, and for a file imported before without `again`.
    pub written: bool,
}

/// A file to import: its kind, its name (kept in the history), its bytes.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub kind: Kind,
    pub file_name: Option<&'a str>,
    pub bytes: &'a [u8],
}

/// The options of an import run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Check and report, write nothing.
    pub dry_run: bool,
    /// Import even a file that was imported before.
    pub again: bool,
}

fn cells(kind: Kind, row: &ImportRow) -> Vec<String> {
    kind.columns()
        .iter()
        .map(|c| match (&row.dialogue_ref, c.name) {
            (Some(r), "dialogue_ref") => r.clone(),
            _ => row.input.get(c.name).to_string(),
        })
        .collect()
}

/// Compares a planned import with the history and the live records.
pub async fn examine(
    store: &Store,
    ward: WardId,
    plan: &Plan,
    bytes: &[u8],
) -> Result<Repeat, ImportError> {
    let kind = plan.kind;
    let previous = store
        .imports_of_file(ward, kind, &content_hash(bytes))
        .await
        .map_err(|e| ImportError::Internal(e.into()))?;
    let mut existing = HashSet::new();
    let mut live = store.export(ward, kind);
    while let Some(input) = live.recv().await {
        let input = input.map_err(|e| ImportError::Internal(e.into()))?;
        existing.insert(
            kind.columns()
                .iter()
                .map(|c| input.get(c.name).to_string())
                .collect::<Vec<_>>(),
        );
    }
    let identical = plan
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| existing.contains(&cells(kind, r)))
        .map(|(i, _)| i + 1)
        .collect();
    Ok(Repeat {
        previous,
        identical,
    })
}

/// Plans, compares with what is stored, and writes unless it is a dry run or the file
/// was imported before and `again` is not set.
pub async fn run_checked(
    store: &Store,
    ward: WardId,
    actor: &Actor,
    file: Source<'_>,
    options: Options,
) -> Result<Checked, ImportError> {
    let Source {
        kind,
        file_name,
        bytes,
    } = file;
    let plan = import::plan(store, ward, kind, bytes).await?;
    let repeat = examine(store, ward, &plan, bytes).await?;
    if options.dry_run || (!repeat.previous.is_empty() && !options.again) {
        return Ok(Checked {
            plan,
            repeat,
            written: false,
        });
    }
    import::write(store, ward, actor, file_name, bytes, &plan).await?;
    Ok(Checked {
        plan,
        repeat,
        written: true,
    })
}

/// Row numbers as people read them: `1–3, 7, 9–12`.
pub fn ranges(rows: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let start = rows[i];
        let mut end = start;
        while i + 1 < rows.len() && rows[i + 1] == end + 1 {
            i += 1;
            end = rows[i];
        }
        out.push(if start == end {
            start.to_string()
        } else {
            format!("{start}–{end}")
        });
        i += 1;
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_numbers_read_as_ranges() {
        assert_eq!(ranges(&[]), "");
        assert_eq!(ranges(&[1, 2, 3, 7, 9, 10]), "1–3, 7, 9–10");
        assert_eq!(ranges(&[4]), "4");
    }

    #[test]
    fn the_hash_is_of_the_bytes() {
        assert_eq!(content_hash(b"a"), content_hash(b"a"));
        assert_ne!(content_hash(b"a"), content_hash(b"a\n"));
        assert_eq!(content_hash(b"").len(), 64);
    }
}
