//! Go's `text/tabwriter`, as kubectl uses it: tab-terminated cells aligned in columns.
//!
//! A column block is a run of consecutive lines that all have a tab-terminated cell at that
//! column index; the last cell of a line is not part of any column. A line without any tab
//! flushes the writer, which ends every column block (this is why `describe` output realigns
//! after `Pod Template:`). Widths count characters (runes), as Go does.

/// The parameters of a tab writer (`tabwriter.Writer.Init`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TabConfig {
    /// Minimal cell width, padding included.
    pub min_width: usize,
    /// Width of a tab character when padding with tabs.
    pub tab_width: usize,
    /// Padding added to the widest cell of a column.
    pub padding: usize,
    /// The padding character.
    pub pad_char: char,
}

/// kubectl's table printer (`printers.GetNewTabWriter`): min width 6, tab width 4, padding 3.
pub const TABLE: TabConfig = TabConfig {
    min_width: 6,
    tab_width: 4,
    padding: 3,
    pad_char: ' ',
};

/// `describe` and `rollout history` (`tabwriter.Init(out, 0, 8, 2, ' ', 0)`).
pub const DESCRIBE: TabConfig = TabConfig {
    min_width: 0,
    tab_width: 8,
    padding: 2,
    pad_char: ' ',
};

#[derive(Clone, Debug, Default)]
struct Cell {
    text: String,
    width: usize,
}

/// A buffering tab writer; [`TabWriter::finish`] returns the aligned text.
#[derive(Clone, Debug)]
pub struct TabWriter {
    cfg: TabConfig,
    out: String,
    lines: Vec<Vec<Cell>>,
    cell: String,
    widths: Vec<usize>,
}

impl TabWriter {
    /// A writer with the given configuration.
    #[must_use]
    pub fn new(cfg: TabConfig) -> Self {
        TabWriter {
            cfg,
            out: String::new(),
            lines: vec![Vec::new()],
            cell: String::new(),
            widths: Vec::new(),
        }
    }

    /// Writes text; `\t` ends a cell, `\n` ends a line.
    pub fn write(&mut self, text: &str) {
        for ch in text.chars() {
            match ch {
                '\t' | '\u{0b}' => {
                    self.terminate_cell(ch == '\t');
                }
                '\n' | '\u{0c}' => {
                    let ncells = self.terminate_cell(false);
                    self.lines.push(Vec::new());
                    if ch == '\u{0c}' || ncells == 1 {
                        self.flush_lines();
                    }
                }
                c => self.cell.push(c),
            }
        }
    }

    /// Flushes everything and returns the output.
    #[must_use]
    pub fn finish(mut self) -> String {
        if !self.cell.is_empty() {
            self.terminate_cell(false);
        }
        self.flush_lines();
        self.out
    }

    fn terminate_cell(&mut self, htab: bool) -> usize {
        let text = std::mem::take(&mut self.cell);
        let width = text.chars().count();
        if self.lines.is_empty() {
            self.lines.push(Vec::new());
        }
        let n = self.lines.len();
        match self.lines.get_mut(n - 1) {
            Some(line) => {
                let _ = htab;
                line.push(Cell { text, width });
                line.len()
            }
            None => 0,
        }
    }

    fn flush_lines(&mut self) {
        let n = self.lines.len();
        self.format(0, n);
        self.lines = vec![Vec::new()];
        self.widths.clear();
    }

    fn line_len(&self, i: usize) -> usize {
        self.lines.get(i).map_or(0, Vec::len)
    }

    fn format(&mut self, line0: usize, line1: usize) {
        let column = self.widths.len();
        let mut line0 = line0;
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.line_len(this) {
                this += 1;
                continue;
            }
            self.write_lines(line0, this);
            line0 = this;
            let mut width = self.cfg.min_width;
            while this < line1 {
                if column + 1 >= self.line_len(this) {
                    break;
                }
                let w = self
                    .lines
                    .get(this)
                    .and_then(|l| l.get(column))
                    .map_or(0, |c| c.width);
                width = width.max(w + self.cfg.padding);
                this += 1;
            }
            self.widths.push(width);
            self.format(line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(line0, line1);
    }

    fn write_lines(&mut self, line0: usize, line1: usize) {
        for i in line0..line1 {
            let Some(line) = self.lines.get(i) else {
                continue;
            };
            for (j, c) in line.iter().enumerate() {
                self.out.push_str(&c.text);
                if let Some(&w) = self.widths.get(j) {
                    pad(&mut self.out, &self.cfg, c.width, w);
                }
            }
            if i + 1 < self.lines.len() {
                self.out.push('\n');
            }
        }
    }
}

fn pad(out: &mut String, cfg: &TabConfig, text_w: usize, cell_w: usize) {
    if cfg.pad_char == '\t' {
        if cfg.tab_width == 0 {
            return;
        }
        let cell_w = cell_w.div_ceil(cfg.tab_width) * cfg.tab_width;
        let n = cell_w.saturating_sub(text_w);
        for _ in 0..n.div_ceil(cfg.tab_width) {
            out.push('\t');
        }
        return;
    }
    for _ in 0..cell_w.saturating_sub(text_w) {
        out.push(cfg.pad_char);
    }
}

/// Aligns `text` in one go.
#[must_use]
pub fn tabwrite(text: &str, cfg: TabConfig) -> String {
    let mut w = TabWriter::new(cfg);
    w.write(text);
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_columns_and_leaves_the_last_cell_unpadded() {
        let s = tabwrite("NAME\tREADY\tAGE\nsample-pod\t1/1\t10s\n", TABLE);
        assert_eq!(s, "NAME         READY   AGE\nsample-pod   1/1     10s\n");
    }

    #[test]
    fn a_line_without_tabs_ends_the_column_blocks() {
        let s = tabwrite("Name:\tx\nPod Template:\n  Labels:\ta\n", DESCRIBE);
        assert_eq!(s, "Name:  x\nPod Template:\n  Labels:  a\n");
    }

    #[test]
    fn blocks_follow_consecutive_lines() {
        let s = tabwrite("a\tb\tc\naaaa\tb\nx\n", DESCRIBE);
        assert_eq!(s, "a     b  c\naaaa  b\nx\n");
    }
}
