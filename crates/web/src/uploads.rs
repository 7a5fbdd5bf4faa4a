//! Uploaded CSV files waiting for the user to confirm their import: kept on disk (in a
//! private temporary folder removed when the server stops), never in memory, with a cap
//! per user and in total and an expiry, so that uploads cannot pile up.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use domain::Kind;

/// How long an upload waits for its confirmation.
pub const KEEP: Duration = Duration::from_secs(30 * 60);
/// Uploads one user may have waiting; a new one replaces the oldest.
pub const PER_USER: usize = 3;
/// Bytes waiting in total, over every user; beyond it a new upload is refused.
pub const TOTAL_BYTES: u64 = 200 * 1024 * 1024;

/// An upload taken back for its confirmation.
pub struct Upload {
    pub kind: Kind,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

struct Waiting {
    kind: Kind,
    file_name: String,
    username: String,
    path: PathBuf,
    size: u64,
    at: Instant,
}

/// Why an upload cannot be kept.
#[derive(Debug, thiserror::Error)]
pub enum SpoolError {
    /// Too much is waiting already (over every user).
    #[error("too many uploads waiting")]
    Full,
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

pub struct Pending {
    /// Made at the first upload (most servers and tests never need it).
    dir: std::sync::OnceLock<Option<tempfile::TempDir>>,
    waiting: Mutex<HashMap<String, Waiting>>,
    keep: Duration,
    total_bytes: u64,
}

impl Default for Pending {
    fn default() -> Self {
        Pending::with_limits(KEEP, TOTAL_BYTES)
    }
}

impl Pending {
    /// A spool in a private temporary folder, made at the first upload (if it cannot be
    /// made, every upload is refused with an I/O error, which the page says).
    pub fn with_limits(keep: Duration, total_bytes: u64) -> Self {
        Pending {
            dir: std::sync::OnceLock::new(),
            waiting: Mutex::new(HashMap::new()),
            keep,
            total_bytes,
        }
    }

    /// Keeps `bytes` on disk for `username`; returns the token that confirms it.
    pub fn put(
        &self,
        username: &str,
        kind: Kind,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<String, SpoolError> {
        let dir = self
            .dir
            .get_or_init(|| {
                tempfile::Builder::new()
                    .prefix("qcdc-uploads-")
                    .tempdir()
                    .map_err(|e| tracing::error!("no folder for uploads: {e}"))
                    .ok()
            })
            .as_ref()
            .ok_or_else(|| std::io::Error::other("no folder for uploads"))?;
        let mut map = self
            .waiting
            .lock()
            .map_err(|_| std::io::Error::other("uploads lock poisoned"))?;
        self.expire(&mut map);
        // The user's oldest uploads make room for this one.
        let mut mine: Vec<(String, Instant)> = map
            .iter()
            .filter(|(_, w)| w.username == username)
            .map(|(t, w)| (t.clone(), w.at))
            .collect();
        mine.sort_by_key(|(_, at)| *at);
        let surplus = (mine.len() + 1).saturating_sub(PER_USER);
        for (token, _) in mine.into_iter().take(surplus) {
            if let Some(w) = map.remove(&token) {
                let _ = std::fs::remove_file(&w.path);
            }
        }
        let total: u64 = map.values().map(|w| w.size).sum();
        let size = bytes.len() as u64;
        if total + size > self.total_bytes {
            return Err(SpoolError::Full);
        }
        let token = crate::auth::new_token();
        let path = dir.path().join(&token);
        std::fs::write(&path, bytes)?;
        map.insert(
            token.clone(),
            Waiting {
                kind,
                file_name: file_name.to_string(),
                username: username.to_string(),
                path,
                size,
                at: Instant::now(),
            },
        );
        Ok(token)
    }

    /// The upload behind `token`, if it is `username`'s and still waiting; it is gone
    /// from the spool afterwards.
    pub fn take(&self, token: &str, username: &str) -> Option<Upload> {
        let mut map = self.waiting.lock().ok()?;
        self.expire(&mut map);
        if map.get(token)?.username != username {
            return None;
        }
        let w = map.remove(token)?;
        let bytes = std::fs::read(&w.path).ok();
        let _ = std::fs::remove_file(&w.path);
        Some(Upload {
            kind: w.kind,
            file_name: w.file_name,
            bytes: bytes?,
        })
    }

    /// Uploads waiting, and their bytes on disk.
    pub fn waiting(&self) -> (usize, u64) {
        self.waiting
            .lock()
            .map(|m| (m.len(), m.values().map(|w| w.size).sum()))
            .unwrap_or_default()
    }

    fn expire(&self, map: &mut HashMap<String, Waiting>) {
        map.retain(|_, w| {
            let keep = w.at.elapsed() < self.keep;
            if !keep {
                let _ = std::fs::remove_file(&w.path);
            }
            keep
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_wait_on_disk_and_are_taken_once_by_their_owner() {
        let p = Pending::default();
        let t = p
            .put("thuky", Kind::Conferences, "a.csv", b"date,title\n")
            .expect("put");
        assert_eq!(p.waiting(), (1, 11));
        assert!(p.take(&t, "phobithu").is_none(), "another user's token");
        let up = p.take(&t, "thuky").expect("taken");
        assert_eq!(up.bytes, b"date,title\n");
        assert_eq!(up.file_name, "a.csv");
        assert!(p.take(&t, "thuky").is_none(), "only once");
        assert_eq!(p.waiting(), (0, 0));
        let dir = p.dir.get().and_then(|d| d.as_ref()).expect("dir").path();
        assert_eq!(
            std::fs::read_dir(dir).expect("dir").count(),
            0,
            "file removed"
        );
    }

    #[test]
    fn a_user_keeps_at_most_a_few_and_new_ones_replace_the_oldest() {
        let p = Pending::default();
        let tokens: Vec<String> = (0..PER_USER + 2)
            .map(|i| {
                p.put("thuky", Kind::Conferences, &format!("{i}.csv"), b"x")
                    .expect("put")
            })
            .collect();
        assert_eq!(p.waiting().0, PER_USER);
        assert!(p.take(&tokens[0], "thuky").is_none(), "oldest replaced");
        assert!(
            p.take(&tokens[PER_USER + 1], "thuky").is_some(),
            "newest kept"
        );
        // Another user's uploads are not touched.
        let other = p
            .put("phobithu", Kind::Publicity, "p.csv", b"y")
            .expect("put");
        assert!(p.take(&other, "phobithu").is_some());
    }

    #[test]
    fn the_total_is_capped_and_old_uploads_expire() {
        let p = Pending::with_limits(Duration::from_millis(300), 10);
        let big = vec![b'x'; 5];
        p.put("a", Kind::Conferences, "1.csv", &big).expect("first");
        p.put("b", Kind::Conferences, "2.csv", &big)
            .expect("second");
        assert!(matches!(
            p.put("c", Kind::Conferences, "3.csv", b"z"),
            Err(SpoolError::Full)
        ));
        std::thread::sleep(Duration::from_millis(400));
        let t = p
            .put("c", Kind::Conferences, "3.csv", b"z")
            .expect("room after expiry");
        assert_eq!(p.waiting(), (1, 1));
        assert!(p.take(&t, "c").is_some());
    }
}
