//! Where a record of a CSV file is as a spreadsheet shows the file, for messages.

/// Spreadsheet line numbers of the records of a text, read in order: a spreadsheet
/// shows a record on one line even when a quoted cell holds line breaks, and shows
/// empty lines (which the CSV reader skips) as empty rows.
pub(super) struct Lines<'a> {
    text: &'a str,
    /// Bytes counted so far, and the line breaks among them.
    seen: usize,
    breaks: usize,
    /// Line breaks inside the cells of the records read so far.
    inner: usize,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Lines {
            text,
            seen: 0,
            breaks: 0,
            inner: 0,
        }
    }

    /// The line of a record (0 when unknown); records must come in order.
    pub(super) fn line(&mut self, rec: &csv::StringRecord) -> usize {
        let Some(start) = rec.position().map(|p| p.byte() as usize) else {
            return 0;
        };
        let bytes = self.text.as_bytes();
        // The reader's position is where the previous record ended: skip the empty
        // lines before this one.
        let first = (start..bytes.len())
            .find(|&i| !matches!(bytes[i], b'\r' | b'\n'))
            .unwrap_or(bytes.len());
        if first < self.seen {
            return 0;
        }
        self.breaks += bytes[self.seen..first]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.seen = first;
        let line = 1 + self.breaks - self.inner.min(self.breaks);
        self.inner += rec.iter().map(|f| f.matches('\n').count()).sum::<usize>();
        line
    }
}
