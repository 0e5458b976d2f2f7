//! Checks manifest files as `kubectl apply --dry-run=client` with the API server's validation
//! would: decoding (strict fields, kinds and versions), defaulting and validation, each problem
//! with its file, line and field path; warnings (such as two containers of one Pod declaring
//! the same containerPort) are printed too, then the defaulted objects as YAML.
//!
//! ```text
//! cargo run --example validate                     # the book's manifests
//! cargo run --example validate -- a.yaml dir/ ...  # your files (directories: *.yaml, *.yml, *.json)
//! cargo run --example validate -- --quiet ...      # problems only, no defaulted objects
//! ```
//!
//! Exits 1 when any file has an error.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kube_workloads::manifest::{self, Document, Object};
use kube_workloads::validation::{self, Validation};
use kube_workloads::{defaults, validation::FieldPath};

fn main() -> ExitCode {
    let mut quiet = false;
    let mut paths: Vec<PathBuf> = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--quiet" | "-q" => quiet = true,
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    if paths.is_empty() {
        let relative = Path::new("examples/manifests");
        paths.push(if relative.is_dir() {
            relative.to_owned()
        } else {
            Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
        });
    }
    let mut files = Vec::new();
    for p in paths {
        collect(&p, &mut files);
    }
    let mut failed = false;
    for file in &files {
        failed |= !check(file, quiet);
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        for e in entries {
            let ext = e.extension().and_then(|x| x.to_str()).unwrap_or("");
            if e.is_dir() || matches!(ext, "yaml" | "yml" | "json") {
                collect(&e, out);
            }
        }
    } else {
        out.push(path.to_owned());
    }
}

/// Checks one file; false when it has an error.
fn check(path: &Path, quiet: bool) -> bool {
    let name = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: the path {name:?} cannot be read: {e}");
            return false;
        }
    };
    println!("# {name}");
    let docs = match manifest::decode(&bytes) {
        Ok(docs) => docs,
        Err(e) => {
            print!("{}", e.report(&name));
            return false;
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut ok = true;
    let mut defaulted = Vec::new();
    for doc in docs {
        let (object, validation) = default_and_validate(&doc);
        let at = |p: &FieldPath| {
            let full = join(&doc.path, p);
            manifest::locate(&text, doc.index, &full)
                .map(|l| format!("line {}:{}: ", l.line, l.column))
                .unwrap_or_default()
        };
        for e in &validation.errors {
            println!(
                "error: {name}: document {}, {}{} {:?} is invalid: {e}",
                doc.index + 1,
                at(&e.path),
                object.kind(),
                object.name()
            );
            ok = false;
        }
        for w in &validation.warnings {
            println!(
                "Warning: {name}: document {}, {}{w}",
                doc.index + 1,
                at(&w.path)
            );
        }
        defaulted.push(object);
    }
    if ok {
        println!("{name}: {} object(s) valid", defaulted.len());
        if !quiet {
            match manifest::encode_yaml(&defaulted) {
                Ok(y) => print!("{y}"),
                Err(e) => eprintln!("error: {e}"),
            }
        }
    }
    println!();
    ok
}

fn join(base: &FieldPath, rel: &FieldPath) -> FieldPath {
    let mut p = base.clone();
    for s in rel.segments() {
        p.push(s.clone());
    }
    p
}

/// Namespace, defaults and the API server's create validation, as `kubectl apply` against a
/// server would see them.
fn default_and_validate(doc: &Document) -> (Object, Validation) {
    let mut object = doc.object.clone();
    if let Some(meta) = object.metadata_mut() {
        let _ = validation::resolve_namespace(meta, "default");
    }
    let v = match &mut object {
        Object::Pod(p) => {
            defaults::default_pod(p);
            validation::validate_pod(p)
        }
        Object::ReplicaSet(rs) => {
            defaults::default_replica_set(rs);
            validation::validate_replica_set(rs)
        }
        Object::ReplicationController(rc) => {
            defaults::default_replication_controller(rc);
            validation::validate_replication_controller(rc)
        }
        Object::Deployment(d) => {
            defaults::default_deployment(d);
            validation::validate_deployment(d)
        }
        _ => Validation::default(),
    };
    (object, v)
}
