//! `-f FILE|DIR|-`: reading manifests through the caller's [`ShellIo`], as cli-runtime's
//! file visitor does (a directory contributes its `.json`, `.yaml` and `.yml` files in name
//! order, its subdirectories only with `-R`; `-` is standard input, named `STDIN`).

use crate::manifest::{DecodeOptions, ErrorKind, ManifestError, Object};
use crate::validation::field::go_quote;

use super::resources::KErr;
use super::{IoError, ShellIo};

/// One object read from a file.
#[derive(Clone, Debug)]
pub(super) struct FileObject {
    /// The file (`sample-pod.yaml`, `dir/a.yaml`, `STDIN`).
    pub(super) source: String,
    /// The object.
    pub(super) object: Object,
    /// Unknown fields reported under `--validate=warn`.
    pub(super) warnings: Vec<ManifestError>,
}

const EXTENSIONS: &[&str] = &[".json", ".yaml", ".yml"];

fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// The files a `-f` argument names, with their contents, or the error for the argument.
fn sources(
    io: &mut dyn ShellIo,
    path: &str,
    recursive: bool,
    out: &mut Vec<(String, Vec<u8>)>,
) -> Result<(), KErr> {
    if path == "-" {
        let text = io.stdin().map_err(|e| KErr::plain(e.to_string()))?;
        out.push(("STDIN".to_owned(), text));
        return Ok(());
    }
    match io.read(path) {
        Ok(bytes) => {
            out.push((path.to_owned(), bytes));
            Ok(())
        }
        Err(IoError::NotFound) => Err(KErr::plain(format!(
            "the path {} does not exist",
            go_quote(path)
        ))),
        Err(IoError::IsADirectory) => walk(io, path, recursive, true, out),
        Err(e) => Err(KErr::plain(format!("open {path}: {e}"))),
    }
}

fn walk(
    io: &mut dyn ShellIo,
    dir: &str,
    recursive: bool,
    root: bool,
    out: &mut Vec<(String, Vec<u8>)>,
) -> Result<(), KErr> {
    if !root && !recursive {
        return Ok(());
    }
    let mut entries = io
        .read_dir(dir)
        .map_err(|e| KErr::plain(format!("lstat {dir}: {e}")))?;
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    for e in entries {
        let path = join(dir, &e.name);
        if e.is_dir {
            walk(io, &path, recursive, false, out)?;
            continue;
        }
        if !EXTENSIONS.iter().any(|x| e.name.ends_with(x)) {
            continue;
        }
        let bytes = io
            .read(&path)
            .map_err(|err| KErr::plain(format!("open {path}: {err}")))?;
        out.push((path, bytes));
    }
    Ok(())
}

/// Reads and decodes every object named by `-f` arguments. Decoding errors are reported per
/// file, as kubectl reports them (`error: error validating "x.yaml": ...`); the other files
/// still count.
pub(super) fn read_objects(
    io: &mut dyn ShellIo,
    filenames: &[String],
    recursive: bool,
    options: &DecodeOptions,
) -> (Vec<FileObject>, Vec<KErr>) {
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    let mut files = Vec::new();
    for path in filenames {
        if let Err(e) = sources(io, path, recursive, &mut files) {
            errors.push(e);
        }
    }
    for (source, bytes) in files {
        match crate::manifest::decode_with(&bytes, options) {
            Ok(docs) => objects.extend(docs.into_iter().map(|d| FileObject {
                source: source.clone(),
                object: d.object,
                warnings: d.warnings,
            })),
            Err(e) => {
                if e.errors()
                    .iter()
                    .all(|x| matches!(x.kind, ErrorKind::Empty))
                {
                    continue;
                }
                errors.push(KErr::Raw(e.report(&source)));
            }
        }
    }
    (objects, errors)
}
