//! `dcc issue-batch`: one certificate per record of a JSON Lines or CSV file, on every core.
//!
//! The input is read in chunks (memory stays bounded for millions of records); each chunk is
//! parsed, issued, rendered and written on a thread pool, then its failures and JSON Lines
//! records are appended in input order. Every per-record file is written to a temporary file
//! in the output folder and renamed, so an interrupted run leaves only whole files, and
//! `--resume` can skip what exists.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use dcc::{Certificate, IssueOptions, Issuer};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::{Fail, LedgerLink, SignArgs, usage};

/// The code of a record refused by `--name uci` because an earlier record of the same input
/// has the same (sanitised) certificate identifier.
pub(crate) const DUPLICATE_UCI: &str = "duplicate_uci";

/// The name of the JSON Lines output of `--format jsonl`.
const CERTIFICATES_FILE: &str = "certificates.jsonl";
/// The name of the failure list.
const ERRORS_FILE: &str = "errors.jsonl";
/// Prefix of the temporary files (removed by `--resume`).
const TEMP_PREFIX: &str = ".tmp-";
/// A JSON Lines record longer than this is refused without being read into memory.
const MAX_LINE: usize = 1 << 20;
/// The longest file name `--name uci` makes.
const MAX_NAME: usize = 200;

/// The long help of `dcc issue-batch`.
pub(crate) const LONG_ABOUT: &str = "\
Issue one certificate per record of INPUT, on every core (--threads N to use fewer).

INPUT is JSON Lines (one DCC payload per line; blank lines are skipped but counted) or CSV (by the
.csv extension, or --input-format csv). CSV mapping: a header row names each column by a dotted
path into the payload, and a type's fields go under `v.`, `t.` or `r.` (the single entry of that
group), e.g. ver,nam.fn,nam.gn,nam.fnt,nam.gnt,dob,v.tg,v.vp,v.mp,v.ma,v.dn,v.sd,v.dt,v.co,v.is,v.ci.
v.dn and v.sd are numbers (a cell that is not a whole number is passed on as text, and validation
reports it); every other cell is text. Empty cells are left out, and so is a group without a filled
cell, so one file can hold all three types. The line number of a CSV record is the line where its
row starts (the header is line 1).

Output in --out-dir DIR. --format jsonl (the default): one file DIR/certificates.jsonl of
{\"line\":N,\"uci\":\"...\",\"hc1\":\"HC1:...\"} in input order. --format png|svg|pdf|txt: one file per record,
DIR/<id>.<ext>, where id is line-<N> (N = the record's 1-based line number in INPUT) or, with
--name uci, the certificate identifier (ci) with every character outside A-Z a-z 0-9 . _ -
replaced by _. With --name uci every record must carry its ci (a generated one would differ on
every run, and --resume could not find its file): a record without one fails [ci_missing], and a
record whose name an earlier record of the input already has fails [duplicate_uci]. Files appear
whole: each is written to a temporary file in DIR, then renamed.

Records that fail (not JSON, refused by validation, anything else) go to DIR/errors.jsonl in
input order, and never stop the batch:
{\"line\":N,\"uci\":\"...\" or null,\"code\":\"validation_failed\",\"issues\":[{\"path\":\"v/0/dn\",\"code\":\"...\",\"message\":\"...\"}]}
with every validation issue, or the error itself (its code, an empty path) for other failures.

Progress on stderr: a progress bar on a terminal, else one line every --progress-interval seconds;
then a summary. --quiet prints nothing at all unless the batch cannot run (exit status 2): the
failures are in errors.jsonl and the exit status tells whether there are any.

--resume continues an interrupted run (Ctrl-C, a killed process): records whose file exists, or
whose line is in certificates.jsonl (a last, partial line is dropped), are skipped; the others are
issued, and errors.jsonl is written anew. Without --resume, a DIR that is not empty is refused
(exit status 2). With --ledger, a record interrupted after its ledger entry and before its file is
issued and recorded again on --resume.

Exit status: 0 = every record issued, 1 = some records failed (listed in errors.jsonl), 2 = bad
input or usage (unreadable INPUT, a bad CSV header, bad options, a DIR that cannot be written).";

/// What `issue-batch` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// One PNG per record (the QR code, 4 pixels per module by default).
    Png,
    /// One SVG per record.
    Svg,
    /// One printable A4 PDF per record.
    Pdf,
    /// One text file per record: the HC1 and a line break.
    Txt,
    /// One file, certificates.jsonl: `{"line", "uci", "hc1"}` per record.
    Jsonl,
}

impl Format {
    /// The file extension of the per-record formats.
    fn extension(self) -> Option<&'static str> {
        match self {
            Format::Png => Some("png"),
            Format::Svg => Some("svg"),
            Format::Pdf => Some("pdf"),
            Format::Txt => Some("txt"),
            Format::Jsonl => None,
        }
    }
}

/// The input's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum InputFormat {
    /// One JSON payload per line.
    Jsonl,
    /// A header row of dotted payload paths, then one payload per row.
    Csv,
}

/// How per-record files are named.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Naming {
    /// `line-<N>`, N the 1-based line number in the input.
    Line,
    /// The certificate identifier, sanitised to `[A-Za-z0-9._-]`.
    Uci,
}

/// The arguments of `dcc issue-batch`.
#[derive(Args, Debug)]
pub(crate) struct BatchArgs {
    /// The payloads: JSON Lines, or CSV (see the mapping above). A file, not stdin: it is read
    /// twice, first to count the records for the progress.
    input: PathBuf,
    /// Folder for the outputs and errors.jsonl (created if missing).
    #[arg(long)]
    out_dir: PathBuf,
    /// What to write: one file per record (png, svg, pdf, txt) or certificates.jsonl.
    #[arg(long, value_enum, default_value = "jsonl")]
    format: Format,
    /// The input's format (default: csv for a .csv file, else jsonl).
    #[arg(long, value_enum)]
    input_format: Option<InputFormat>,
    /// How per-record files are named: `line-<N>`, or the certificate identifier.
    #[arg(long, value_enum, default_value = "line")]
    name: Naming,
    /// Continue an interrupted run in the same folder: skip records already written.
    #[arg(long)]
    resume: bool,
    /// Print nothing (no warning, progress or summary) unless the batch cannot run.
    #[arg(long)]
    quiet: bool,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Pixels per QR module for PNG output.
    #[arg(long, default_value_t = 4)]
    scale: u32,
    /// The language printed beside English in PDF output: de, fr or en (English only).
    #[arg(long, default_value = "de")]
    pdf_language: String,
    /// Seconds between two progress lines when stderr is not a terminal.
    #[arg(long, default_value_t = 2.0)]
    progress_interval: f64,
    #[command(flatten)]
    sign: SignArgs,
}

/// One issue of a failed record, as errors.jsonl lists it.
#[derive(Debug, Serialize)]
struct IssueOut {
    path: String,
    code: String,
    message: String,
}

/// Why a record was not issued.
#[derive(Debug)]
struct Failure {
    code: String,
    issues: Vec<IssueOut>,
}

impl Failure {
    /// A failure with one issue.
    fn one(code: &str, path: &str, issue_code: &str, message: impl Into<String>) -> Self {
        Failure {
            code: code.to_string(),
            issues: vec![IssueOut {
                path: path.to_string(),
                code: issue_code.to_string(),
                message: message.into(),
            }],
        }
    }

    /// The facade's error: its code, and its validation issues or itself as the one issue.
    fn from_error(e: &dcc::Error) -> Self {
        if e.issues().is_empty() {
            return Failure::one(e.code(), "", e.code(), e.to_string());
        }
        Failure {
            code: e.code().to_string(),
            issues: e
                .issues()
                .iter()
                .map(|i| IssueOut {
                    path: i.path.clone(),
                    code: i.code.to_string(),
                    message: i.message.clone(),
                })
                .collect(),
        }
    }

    /// A record that is not a payload (not JSON, not UTF-8, a CSV row of the wrong width).
    fn invalid_payload(message: impl Into<String>) -> Self {
        let code = dcc::ErrorKind::InvalidPayload.code();
        Failure::one(code, "", code, message)
    }
}

/// What one input record holds before parsing.
enum Content {
    /// A JSON Lines line.
    Json(String),
    /// A CSV row, already mapped.
    Value(Value),
    /// A record that cannot be a payload.
    Bad(Failure),
}

/// One input record.
struct Raw {
    line: u64,
    content: Content,
}

/// Where a record is in the pipeline.
enum State {
    /// Already written by an earlier run (`--resume`).
    Skipped,
    /// Not issued.
    Failed(Failure),
    /// Parsed, to issue.
    Pending(Value),
    /// Issued and rendered: the file's bytes, or the certificates.jsonl line.
    Rendered(Box<Certificate>, Vec<u8>),
    /// Written.
    Done(Option<String>),
}

/// One record of a chunk.
struct Item {
    line: u64,
    /// The `ci` of the input payload, if it has one.
    uci: Option<String>,
    /// The file name without extension (per-record formats).
    name: String,
    state: State,
}

/// A CSV column: its path into the payload.
#[derive(Debug)]
struct Column {
    /// For `v.`/`t.`/`r.` columns, the group and the field; else the object path.
    path: Vec<String>,
    /// `v.dn` and `v.sd`: written as numbers.
    integer: bool,
}

/// The records of the input, one at a time.
enum Source {
    Jsonl {
        reader: BufReader<File>,
        line: u64,
        buf: Vec<u8>,
    },
    Csv {
        reader: Box<csv::Reader<File>>,
        columns: Vec<Column>,
        record: csv::ByteRecord,
    },
}

fn io_fail(what: impl std::fmt::Display, e: io::Error) -> Fail {
    Fail {
        code: "io",
        message: format!("{what}: {e}"),
    }
}

/// Reads one line (without its `\n`, and `\r`) into `buf`. Returns `None` at the end, else
/// whether the line was longer than [`MAX_LINE`] (then `buf` is empty and the line skipped).
fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<Option<bool>> {
    buf.clear();
    let mut any = false;
    let mut long = false;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (part, used, end) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], i + 1, true),
            None => (chunk, chunk.len(), false),
        };
        if !long {
            if buf.len() + part.len() > MAX_LINE {
                long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(part);
            }
        }
        reader.consume(used);
        if end {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Some(long))
}

fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// The CSV header's columns; a header that cannot be mapped is a usage error.
fn parse_header(header: &csv::ByteRecord) -> Result<Vec<Column>, Fail> {
    let mut columns: Vec<Column> = Vec::with_capacity(header.len());
    for (i, cell) in header.iter().enumerate() {
        let text = std::str::from_utf8(cell)
            .map_err(|_| usage(format!("CSV header column {} is not UTF-8", i + 1)))?;
        let text = text.trim_start_matches('\u{feff}').trim();
        let path: Vec<String> = text.split('.').map(str::to_string).collect();
        let key =
            |p: &String| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !path.iter().all(key) {
            return Err(usage(format!(
                "CSV header column {} ({text:?}) is not a dotted payload path such as nam.fn or v.dn",
                i + 1
            )));
        }
        let group = matches!(path[0].as_str(), "v" | "t" | "r");
        if group && path.len() != 2 {
            return Err(usage(format!(
                "CSV header column {} ({text:?}): a field of {} is written {}.FIELD (its single entry)",
                i + 1,
                path[0],
                path[0]
            )));
        }
        if let Some(other) = columns
            .iter()
            .find(|c| c.path.starts_with(&path) || path.starts_with(&c.path))
        {
            return Err(usage(format!(
                "CSV header column {} ({text:?}) clashes with column {:?}",
                i + 1,
                other.path.join(".")
            )));
        }
        let integer = path[0] == "v" && matches!(path[1].as_str(), "dn" | "sd");
        columns.push(Column { path, integer });
    }
    if columns.is_empty() {
        return Err(usage("the CSV file has no header row"));
    }
    Ok(columns)
}

/// The payload of one CSV row.
fn row_value(columns: &[Column], record: &csv::ByteRecord) -> Result<Value, Failure> {
    if record.len() != columns.len() {
        return Err(Failure::invalid_payload(format!(
            "the row has {} cells, the header {}",
            record.len(),
            columns.len()
        )));
    }
    let mut root = Map::new();
    for (column, cell) in columns.iter().zip(record.iter()) {
        if cell.is_empty() {
            continue;
        }
        let text = std::str::from_utf8(cell).map_err(|_| {
            Failure::invalid_payload(format!("column {} is not UTF-8", column.path.join(".")))
        })?;
        let value = match text.trim().parse::<i64>() {
            Ok(n) if column.integer => Value::from(n),
            _ => Value::String(text.to_string()),
        };
        let Some((last, parents)) = column.path.split_last() else {
            continue;
        };
        let target = if matches!(parents.first().map(String::as_str), Some("v" | "t" | "r")) {
            root.entry(parents[0].clone())
                .or_insert_with(|| Value::Array(vec![Value::Object(Map::new())]))
                .get_mut(0)
                .and_then(Value::as_object_mut)
        } else {
            let mut map = Some(&mut root);
            for p in parents {
                map = map.and_then(|m| {
                    m.entry(p.clone())
                        .or_insert_with(|| Value::Object(Map::new()))
                        .as_object_mut()
                });
            }
            map
        };
        if let Some(map) = target {
            map.insert(last.clone(), value);
        }
    }
    Ok(Value::Object(root))
}

impl Source {
    fn open(path: &Path, format: InputFormat) -> Result<Source, Fail> {
        let file =
            File::open(path).map_err(|e| io_fail(format!("reading {}", path.display()), e))?;
        Ok(match format {
            InputFormat::Jsonl => Source::Jsonl {
                reader: BufReader::with_capacity(1 << 16, file),
                line: 0,
                buf: Vec::new(),
            },
            InputFormat::Csv => {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(true)
                    .flexible(true)
                    .from_reader(file);
                let header = reader
                    .byte_headers()
                    .map_err(|e| csv_fail(path, e))?
                    .clone();
                Source::Csv {
                    columns: parse_header(&header)?,
                    reader: Box::new(reader),
                    record: csv::ByteRecord::new(),
                }
            }
        })
    }

    /// The next record, or `None` at the end.
    fn next(&mut self, path: &Path) -> Result<Option<Raw>, Fail> {
        match self {
            Source::Jsonl { reader, line, buf } => loop {
                let Some(long) = read_line(reader, buf)
                    .map_err(|e| io_fail(format!("reading {}", path.display()), e))?
                else {
                    return Ok(None);
                };
                *line += 1;
                let content = if long {
                    Content::Bad(Failure::invalid_payload(format!(
                        "the line is longer than {MAX_LINE} bytes"
                    )))
                } else if is_blank(buf) {
                    continue;
                } else {
                    match String::from_utf8(std::mem::take(buf)) {
                        Ok(s) => Content::Json(s),
                        Err(_) => Content::Bad(Failure::invalid_payload("the line is not UTF-8")),
                    }
                };
                return Ok(Some(Raw {
                    line: *line,
                    content,
                }));
            },
            Source::Csv {
                reader,
                columns,
                record,
            } => {
                if !reader
                    .read_byte_record(record)
                    .map_err(|e| csv_fail(path, e))?
                {
                    return Ok(None);
                }
                let line = record.position().map_or(0, csv::Position::line);
                let content = match row_value(columns, record) {
                    Ok(v) => Content::Value(v),
                    Err(f) => Content::Bad(f),
                };
                Ok(Some(Raw { line, content }))
            }
        }
    }
}

fn csv_fail(path: &Path, e: csv::Error) -> Fail {
    let code = if e.is_io_error() { "io" } else { "usage" };
    Fail {
        code,
        message: format!("reading {}: {e}", path.display()),
    }
}

/// The number of records (non-blank lines, CSV rows), for the progress.
fn count_records(path: &Path, format: InputFormat) -> Result<u64, Fail> {
    let mut source = Source::open(path, format)?;
    let mut n = 0u64;
    match &mut source {
        Source::Jsonl { reader, buf, .. } => {
            while let Some(long) = read_line(reader, buf)
                .map_err(|e| io_fail(format!("reading {}", path.display()), e))?
            {
                if long || !is_blank(buf) {
                    n += 1;
                }
            }
        }
        Source::Csv { reader, record, .. } => {
            while reader
                .read_byte_record(record)
                .map_err(|e| csv_fail(path, e))?
            {
                n += 1;
            }
        }
    }
    Ok(n)
}

/// The `ci` of a payload's entry, and the entry's path.
fn input_ci(payload: &Value) -> (String, Option<String>) {
    for g in ["v", "t", "r"] {
        if let Some(entry) = payload.get(g).and_then(|x| x.get(0)) {
            let ci = entry.get("ci").and_then(Value::as_str).map(str::to_string);
            return (format!("{g}/0/ci"), ci);
        }
    }
    (String::new(), None)
}

/// `ci` as a file name: `[A-Za-z0-9._-]`, never starting with a dot.
fn sanitise(ci: &str) -> String {
    let mut name: String = ci
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.starts_with('.') {
        name.replace_range(0..1, "_");
    }
    name
}

/// The lines already in certificates.jsonl (a last partial line is cut off the file).
fn load_done_lines(path: &Path) -> Result<std::collections::HashSet<u64>, Fail> {
    let mut done = std::collections::HashSet::new();
    let file = match OpenOptions::new().read(true).write(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(done),
        Err(e) => return Err(io_fail(format!("opening {}", path.display()), e)),
    };
    #[derive(serde::Deserialize)]
    struct Line {
        line: u64,
    }
    let mut reader = BufReader::new(&file);
    let mut buf = Vec::new();
    let mut complete: u64 = 0;
    let mut number = 0u64;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| io_fail(format!("reading {}", path.display()), e))?;
        if n == 0 || buf.last() != Some(&b'\n') {
            break;
        }
        number += 1;
        let record: Line = serde_json::from_slice(&buf).map_err(|e| {
            usage(format!(
                "{} line {number} is not a record of dcc issue-batch ({e}); not resuming",
                path.display()
            ))
        })?;
        done.insert(record.line);
        complete += n as u64;
    }
    file.set_len(complete)
        .map_err(|e| io_fail(format!("truncating {}", path.display()), e))?;
    Ok(done)
}

/// Creates the folder; refuses a non-empty one without `--resume`; removes old temporary files.
fn prepare_dir(dir: &Path, resume: bool) -> Result<(), Fail> {
    fs::create_dir_all(dir).map_err(|e| io_fail(format!("creating {}", dir.display()), e))?;
    let entries =
        fs::read_dir(dir).map_err(|e| io_fail(format!("reading {}", dir.display()), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io_fail(format!("reading {}", dir.display()), e))?;
        if !resume {
            return Err(usage(format!(
                "{} is not empty: give an empty or new folder, or --resume to continue an \
                 interrupted batch there",
                dir.display()
            )));
        }
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            fs::remove_file(entry.path())
                .map_err(|e| io_fail(format!("removing {}", entry.path().display()), e))?;
        }
    }
    Ok(())
}

/// Writes `bytes` to `dir/name` through a temporary file and a rename.
fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), Fail> {
    let tmp = dir.join(format!("{TEMP_PREFIX}{name}"));
    let path = dir.join(name);
    fs::write(&tmp, bytes).map_err(|e| io_fail(format!("writing {}", tmp.display()), e))?;
    fs::rename(&tmp, &path).map_err(|e| io_fail(format!("writing {}", path.display()), e))
}

/// Writes to stderr, ignoring a closed stderr.
fn note(text: &str) {
    let _ = writeln!(io::stderr(), "{text}");
}

/// Progress on stderr: a bar on a terminal, periodic lines otherwise, nothing with --quiet.
struct Progress {
    bar: Option<ProgressBar>,
    lines: bool,
    total: u64,
    interval: Duration,
    start: Instant,
    last: Instant,
}

impl Progress {
    fn new(total: u64, quiet: bool, interval: Duration) -> Self {
        let terminal = !quiet && io::stderr().is_terminal();
        let bar = terminal.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{bar:40} {pos}/{len} records ({msg})")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.set_message("starting");
            bar
        });
        let now = Instant::now();
        Progress {
            bar,
            lines: !quiet && !terminal,
            total,
            interval,
            start: now,
            last: now,
        }
    }

    /// `done` records of `total` (skipped ones included), `processed` of them by this run.
    fn update(&mut self, done: u64, processed: u64, failed: u64) {
        if self.bar.is_none() && (!self.lines || self.last.elapsed() < self.interval) {
            return;
        }
        self.last = Instant::now();
        let secs = self.start.elapsed().as_secs_f64();
        let rate = if secs > 0.0 {
            processed as f64 / secs
        } else {
            0.0
        };
        let eta = if rate > 0.0 {
            format!("{:.0} s", self.total.saturating_sub(done) as f64 / rate)
        } else {
            "-".into()
        };
        let status = format!("{failed} failed, {rate:.0} records/s, ETA {eta}");
        match &self.bar {
            Some(bar) => {
                bar.set_position(done);
                bar.set_message(status);
            }
            None => note(&format!("processed {done}/{} ({status})", self.total)),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Runs `dcc issue-batch`.
pub(crate) fn issue_batch(args: &BatchArgs) -> Result<ExitCode, Fail> {
    if args.threads == Some(0) {
        return Err(usage("--threads must be at least 1"));
    }
    if !(args.progress_interval.is_finite() && args.progress_interval > 0.0) {
        return Err(usage(
            "--progress-interval must be a positive number of seconds",
        ));
    }
    if !dcc::PDF_LANGUAGES.contains(&args.pdf_language.as_str()) {
        return Err(usage(format!(
            "--pdf-language {:?}: use one of {}",
            args.pdf_language,
            dcc::PDF_LANGUAGES.join(", ")
        )));
    }
    if args.scale == 0 || args.scale > 64 {
        return Err(usage("--scale must be between 1 and 64"));
    }
    let input_format = args.input_format.unwrap_or_else(|| {
        let csv = args
            .input
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if csv {
            InputFormat::Csv
        } else {
            InputFormat::Jsonl
        }
    });
    let path = args.input.as_path();
    // Everything that can be refused is checked before the output folder is touched.
    let mut source = Source::open(path, input_format)?;
    let issuer = args.sign.issuer(!args.quiet)?;
    let ledger = args.sign.ledger()?;
    let options = args.sign.options()?;
    let total = count_records(path, input_format)?;
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(usize::from)
            .unwrap_or(1)
    });
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| usage(format!("cannot start {threads} threads: {e}")))?;

    let dir = args.out_dir.as_path();
    prepare_dir(dir, args.resume)?;
    let certificates_path = dir.join(CERTIFICATES_FILE);
    let done_lines = if args.format == Format::Jsonl && args.resume {
        load_done_lines(&certificates_path)?
    } else {
        Default::default()
    };
    let mut certificates = match args.format {
        Format::Jsonl => Some(BufWriter::new(
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(&certificates_path)
                .map_err(|e| io_fail(format!("writing {}", certificates_path.display()), e))?,
        )),
        _ => None,
    };
    let errors_path = dir.join(ERRORS_FILE);
    let mut errors = BufWriter::new(
        File::create(&errors_path)
            .map_err(|e| io_fail(format!("writing {}", errors_path.display()), e))?,
    );

    let context = Context {
        issuer: &issuer,
        options: &options,
        format: args.format,
        scale: args.scale,
        pdf: dcc::PdfOptions {
            language: args.pdf_language.clone(),
        },
        dir,
    };
    let chunk_size = threads * if args.format == Format::Pdf { 32 } else { 512 };
    let mut progress = Progress::new(
        total,
        args.quiet,
        Duration::from_secs_f64(args.progress_interval),
    );
    let mut names: HashMap<String, u64> = HashMap::new();
    let (mut done, mut issued, mut failed, mut skipped) = (0u64, 0u64, 0u64, 0u64);
    let started = Instant::now();
    loop {
        let mut raw = Vec::with_capacity(chunk_size);
        while raw.len() < chunk_size {
            match source.next(path)? {
                Some(r) => raw.push(r),
                None => break,
            }
        }
        if raw.is_empty() {
            break;
        }
        // Parse in parallel, then name, deduplicate and skip in input order.
        let mut items: Vec<Item> = pool.install(|| raw.into_par_iter().map(parse).collect());
        for item in &mut items {
            name_item(item, args, &mut names, &done_lines);
        }
        let write_failure = pool.install(|| context.run(&mut items, ledger.as_ref()));
        for item in &items {
            done += 1;
            match &item.state {
                State::Skipped => skipped += 1,
                State::Failed(f) => {
                    failed += 1;
                    let line = serde_json::json!({
                        "line": item.line,
                        "uci": item.uci,
                        "code": f.code,
                        "issues": f.issues,
                    });
                    writeln!(errors, "{line}")
                        .map_err(|e| io_fail(format!("writing {}", errors_path.display()), e))?;
                }
                State::Done(line) => {
                    issued += 1;
                    if let (Some(out), Some(line)) = (certificates.as_mut(), line) {
                        writeln!(out, "{line}").map_err(|e| {
                            io_fail(format!("writing {}", certificates_path.display()), e)
                        })?;
                    }
                }
                State::Pending(_) | State::Rendered(..) => {}
            }
        }
        errors
            .flush()
            .map_err(|e| io_fail(format!("writing {}", errors_path.display()), e))?;
        if let Some(out) = certificates.as_mut() {
            out.flush()
                .map_err(|e| io_fail(format!("writing {}", certificates_path.display()), e))?;
        }
        // A file that could not be written ends the batch (a full disk, a removed folder):
        // what is written is whole, and --resume continues.
        write_failure?;
        progress.update(done, done - skipped, failed);
    }
    progress.finish();
    if !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        let rate = if secs > 0.0 {
            (issued + failed) as f64 / secs
        } else {
            0.0
        };
        let mut summary = format!(
            "issued {issued} certificate(s), {failed} failed (listed in {})",
            errors_path.display()
        );
        if skipped > 0 {
            summary.push_str(&format!(", {skipped} skipped (already written)"));
        }
        summary.push_str(&format!(
            "; {secs:.1} s, {rate:.0} records/s on {threads} thread(s)"
        ));
        note(&summary);
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Parses one record.
fn parse(raw: Raw) -> Item {
    let state = match raw.content {
        Content::Json(text) => match serde_json::from_str::<Value>(&text) {
            Ok(v) => State::Pending(v),
            Err(e) => State::Failed(Failure::invalid_payload(format!("not valid JSON: {e}"))),
        },
        Content::Value(v) => State::Pending(v),
        Content::Bad(f) => State::Failed(f),
    };
    let uci = match &state {
        State::Pending(v) => input_ci(v).1,
        _ => None,
    };
    Item {
        line: raw.line,
        uci,
        name: format!("line-{}", raw.line),
        state,
    }
}

/// Names a parsed record, refuses a duplicate name (`--name uci`), skips what exists
/// (`--resume`).
fn name_item(
    item: &mut Item,
    args: &BatchArgs,
    names: &mut HashMap<String, u64>,
    done_lines: &std::collections::HashSet<u64>,
) {
    let State::Pending(payload) = &item.state else {
        return;
    };
    if args.name == Naming::Uci {
        let validation = dcc::ErrorKind::ValidationFailed.code();
        let (path, ci) = input_ci(payload);
        let name = match ci.as_deref().map(str::trim) {
            None | Some("") => {
                item.state = State::Failed(Failure::one(
                    validation,
                    &path,
                    "ci_missing",
                    "--name uci needs the certificate identifier (ci) in every record",
                ));
                return;
            }
            Some(ci) => sanitise(ci),
        };
        if name.len() > MAX_NAME {
            item.state = State::Failed(Failure::one(
                validation,
                &path,
                "too_long",
                format!("the certificate identifier is longer than {MAX_NAME} characters"),
            ));
            return;
        }
        if let Some(first) = names.get(&name) {
            item.state = State::Failed(Failure::one(
                DUPLICATE_UCI,
                &path,
                DUPLICATE_UCI,
                format!("line {first} has the same certificate identifier (file name {name})"),
            ));
            return;
        }
        names.insert(name.clone(), item.line);
        item.name = name;
    }
    let exists = match args.format.extension() {
        Some(ext) => args.resume && args.out_dir.join(format!("{}.{ext}", item.name)).exists(),
        None => done_lines.contains(&item.line),
    };
    if exists {
        item.state = State::Skipped;
    }
}

/// What every record of a batch shares.
struct Context<'a> {
    issuer: &'a Issuer,
    options: &'a IssueOptions,
    format: Format,
    scale: u32,
    pdf: dcc::PdfOptions,
    dir: &'a Path,
}

impl Context<'_> {
    /// Issues, renders, records (in the ledger, one transaction per chunk) and writes the
    /// pending records of a chunk, in parallel. Errors are file-system failures.
    fn run(&self, items: &mut [Item], ledger: Option<&LedgerLink>) -> Result<(), Fail> {
        items.par_iter_mut().for_each(|item| {
            let State::Pending(payload) = &item.state else {
                return;
            };
            let rendered = self
                .issuer
                .issue_value(payload, self.options)
                .and_then(|cert| Ok((self.render(item.line, &cert)?, cert)));
            item.state = match rendered {
                Ok((bytes, cert)) => State::Rendered(Box::new(cert), bytes),
                Err(e) => State::Failed(Failure::from_error(&e)),
            };
        });
        // Recorded before any file is written: no certificate leaves without its record.
        if let Some((ledger, options)) = ledger {
            let certs: Vec<&Certificate> = items
                .iter()
                .filter_map(|i| match &i.state {
                    State::Rendered(cert, _) => Some(cert.as_ref()),
                    _ => None,
                })
                .collect();
            if let Err(e) = ledger.record(&certs, options) {
                for item in items.iter_mut() {
                    if matches!(item.state, State::Rendered(..)) {
                        item.state = State::Failed(Failure::from_error(&e));
                    }
                }
            }
        }
        items.par_iter_mut().try_for_each(|item| {
            if let State::Rendered(_, bytes) = &mut item.state {
                let bytes = std::mem::take(bytes);
                item.state = match self.format.extension() {
                    Some(ext) => {
                        write_atomic(self.dir, &format!("{}.{ext}", item.name), &bytes)?;
                        State::Done(None)
                    }
                    None => State::Done(Some(String::from_utf8_lossy(&bytes).into_owned())),
                };
            }
            Ok(())
        })
    }

    /// The file's bytes, or the certificates.jsonl line.
    fn render(&self, line: u64, cert: &Certificate) -> dcc::Result<Vec<u8>> {
        Ok(match self.format {
            Format::Png => cert.to_png(self.scale)?,
            Format::Svg => cert.to_svg()?.into_bytes(),
            Format::Txt => format!("{}\n", cert.hc1()).into_bytes(),
            Format::Pdf => cert.to_pdf(&self.pdf)?,
            Format::Jsonl => {
                let uci = cert.dcc().entry().ok().map(|e| e.ci().to_string());
                serde_json::json!({"line": line, "uci": uci, "hc1": cert.hc1()})
                    .to_string()
                    .into_bytes()
            }
        })
    }
}
