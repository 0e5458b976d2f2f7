//! The commands that write: `apply`, `delete`, `label`, `annotate`, `scale`, `set image`.

use std::time::Duration;

use crate::deployment::util::CHANGE_CAUSE_ANNOTATION;
use crate::kubectl::{self, ApplyError, Kind, ScaleRequest, SetImage, SetImageFlags, TypeNames};
use crate::manifest::{DecodeOptions, ErrorKind, FieldValidation, Object};
use crate::sim::{Cascade, Key};
use crate::validation::field::go_quote;

use super::files::{self, FileObject};
use super::flags;
use super::resources::{self, Info, KErr, Request, sim_err};
use super::{CmdResult, Ctx, Output, Shell, fail, finish};

/// `--record`: the change cause of this command line, when the flag is true.
fn change_cause(ctx: &Ctx<'_>) -> Option<String> {
    if !ctx.flags.boolean("record", false) {
        return None;
    }
    Some(kubectl::change_cause(
        &ctx.argv,
        &flags::flag_specs(ctx.cmd),
    ))
}

fn validation(ctx: &Ctx<'_>) -> Result<FieldValidation, KErr> {
    let v = ctx.flags.value("validate").unwrap_or("strict");
    match flags::parse_bool(v) {
        Ok(true) => Ok(FieldValidation::Strict),
        Ok(false) => Ok(FieldValidation::Ignore),
        Err(()) => match v {
            "strict" => Ok(FieldValidation::Strict),
            "warn" => Ok(FieldValidation::Warn),
            "ignore" => Ok(FieldValidation::Ignore),
            _ => Err(KErr::plain(format!(
                "invalid - validate option {}; must be one of: strict (or true), warn, ignore (or false)",
                go_quote(v)
            ))),
        },
    }
}

fn read_files(ctx: &mut Ctx<'_>, validation: FieldValidation) -> (Vec<FileObject>, Vec<KErr>) {
    let names = ctx.flags.slice("filename");
    files::read_objects(
        ctx.io,
        &names,
        ctx.flags.boolean("recursive", false),
        &DecodeOptions {
            field_validation: validation,
        },
    )
}

fn with_newline(s: &str) -> String {
    if s.ends_with('\n') {
        s.to_owned()
    } else {
        format!("{s}\n")
    }
}

/// `kubectl apply -f`.
pub(super) fn apply(sh: &mut Shell, ctx: &mut Ctx<'_>, out: &mut Output) -> CmdResult {
    if !ctx.flags.args.is_empty() {
        return Err(vec![KErr::Raw(format!(
            "error: Unexpected args: [{}]\nSee 'kubectl apply -h' for help and examples\n",
            ctx.flags.args.join(" ")
        ))]);
    }
    if ctx.flags.slice("filename").is_empty() {
        return fail("must specify one of -f and -k");
    }
    let validation = validation(ctx).map_err(|e| vec![e])?;
    let (objects, mut errors) = read_files(ctx, validation);
    if objects.is_empty() && errors.is_empty() {
        return fail("no objects passed to apply");
    }
    let cause = change_cause(ctx);
    for f in &objects {
        for w in &f.warnings {
            let text = match &w.kind {
                ErrorKind::UnknownField { .. } => {
                    format!("unknown field {}", go_quote(&w.path.to_string()))
                }
                _ => w.to_string(),
            };
            out.err(&format!("Warning: {text}\n"));
        }
        let object_ns = f.object.namespace();
        if ctx.explicit_namespace && !object_ns.is_empty() && object_ns != ctx.namespace {
            errors.push(KErr::plain(
                ApplyError::NamespaceMismatch {
                    object_namespace: object_ns.to_owned(),
                    namespace: ctx.namespace.clone(),
                }
                .to_string(),
            ));
            continue;
        }
        match sh
            .cluster
            .apply(&f.object, &ctx.namespace, cause.as_deref())
        {
            Ok(applied) => {
                for w in &applied.warnings {
                    out.err(&with_newline(&w.kubectl_line()));
                }
                out.out(&with_newline(&applied.output));
            }
            Err(e) => errors.push(sim_err(e)),
        }
    }
    finish(errors)
}

/// `--cascade`, as `GetCascadingStrategy` reads it.
fn cascade(ctx: &Ctx<'_>, out: &mut Output) -> Result<Cascade, KErr> {
    let v = ctx.flags.value("cascade").unwrap_or("background");
    match flags::parse_bool(v) {
        Ok(true) => {
            out.err(&format!("warning: --cascade={v} is deprecated (boolean value) and can be replaced with --cascade=background.\n"));
            Ok(Cascade::Background)
        }
        Ok(false) => {
            out.err(&format!("warning: --cascade={v} is deprecated (boolean value) and can be replaced with --cascade=orphan.\n"));
            Ok(Cascade::Orphan)
        }
        Err(()) => match v {
            "orphan" => Ok(Cascade::Orphan),
            // The simulator has no foreground deletion: owners go at once and the garbage
            // collector removes dependents, which ends in the same state.
            "foreground" | "background" => Ok(Cascade::Background),
            _ => Err(KErr::plain(format!(
                "invalid cascade value ({v}). Must be \"background\", \"foreground\", or \"orphan\""
            ))),
        },
    }
}

/// Whether the object a delete removed is still there (same uid).
fn still_there(sh: &Shell, info: &Info, uid: &str) -> bool {
    sh.cluster
        .get(&info.kind_name, &info.key)
        .is_some_and(|o| o.metadata().is_none_or(|m| m.uid == uid))
}

/// `kubectl delete`.
pub(super) fn delete(sh: &mut Shell, ctx: &mut Ctx<'_>, out: &mut Output) -> CmdResult {
    let cascade = cascade(ctx, out).map_err(|e| vec![e])?;
    let output = ctx.flags.string("output");
    if !output.is_empty() && output != "name" {
        return fail(format!(
            "unexpected -o output mode: {output}. We only support '-o name'"
        ));
    }
    let all = ctx.flags.boolean("all", false);
    let selector = ctx.flags.string("selector");
    if all && !selector.is_empty() {
        return fail("cannot set --all and --selector at the same time");
    }
    let ignore_not_found = if ctx.flags.changed("ignore-not-found") {
        ctx.flags.boolean("ignore-not-found", false)
    } else {
        all || !selector.is_empty()
    };
    let (files, file_errors) = read_files(ctx, FieldValidation::Ignore);
    if !file_errors.is_empty() {
        return Err(file_errors);
    }
    let mut found = if files.is_empty() {
        let req = Request {
            args: &ctx.flags.args,
            files: &[],
            selector: &selector,
            select_all: all,
            all_namespaces: ctx.flags.boolean("all-namespaces", false),
            allow_empty_selector: false,
            namespace: &ctx.namespace,
            single_type: false,
        };
        resources::resolve(&sh.cluster, &req).map_err(|e| vec![e])?
    } else {
        if !ctx.flags.args.is_empty() {
            return fail(
                "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well",
            );
        }
        let mut r = resources::Resolved::default();
        for f in &files {
            let ns = if f.object.namespace().is_empty() {
                ctx.namespace.clone()
            } else {
                f.object.namespace().to_owned()
            };
            r.infos.push(Info {
                kind: resources::wk(f.object.kind()),
                kind_name: f.object.kind().to_owned(),
                names: TypeNames::of(&f.object),
                key: Key::new(&ns, f.object.name()),
                object: None,
                source: Some(f.source.clone()),
            });
        }
        r
    };
    let mut errors = std::mem::take(&mut found.errors);
    // kubectl counts every object it visits, before its DELETE request: a named object that
    // turns out to be missing counts too (its NotFound may then be ignored).
    let visited = found.infos.len() + errors.len();
    let mut deleted: Vec<(Info, String)> = Vec::new();
    for info in found.infos {
        let live = sh.cluster.get(&info.kind_name, &info.key);
        let uid = live
            .as_ref()
            .and_then(|o| o.metadata().map(|m| m.uid.clone()))
            .unwrap_or_default();
        let result = match info.kind {
            Some(k) => sh
                .cluster
                .delete(resources::sim_kind(k), &info.key, cascade),
            None => sh.cluster.delete_kind(&info.kind_name, &info.key, cascade),
        };
        match result {
            Ok(()) => {
                if output == "name" {
                    out.out(&format!("{}/{}\n", info.names.name_prefix, info.key.name));
                } else {
                    out.out(&format!(
                        "{} \"{}\" deleted\n",
                        info.names.name_prefix, info.key.name
                    ));
                }
                deleted.push((info, uid));
            }
            Err(_) => {
                let mut message = format!(
                    "{} {} not found",
                    info.names.resource,
                    go_quote(&info.key.name)
                );
                if let Some(src) = &info.source {
                    message = format!("error when deleting {}: {message}", go_quote(src));
                }
                errors.push(KErr::Status {
                    reason: "NotFound",
                    message,
                });
            }
        }
    }
    if ignore_not_found {
        errors.retain(|e| !matches!(e, KErr::Status { reason, .. } if *reason == "NotFound"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if visited == 0 {
        out.out("No resources found\n");
        return Ok(());
    }
    if !ctx.flags.boolean("wait", true) {
        return Ok(());
    }
    let timeout = ctx
        .flags
        .duration("timeout")
        .and_then(|d| d.positive())
        .unwrap_or(Duration::from_secs(168 * 3600));
    let deadline = sh.cluster.now().add_duration(timeout);
    loop {
        let pending: Vec<&(Info, String)> = deleted
            .iter()
            .filter(|(i, uid)| still_there(sh, i, uid))
            .collect();
        let Some((first, _)) = pending.first() else {
            return Ok(());
        };
        let next = sh.cluster.next_deadline().filter(|t| *t <= deadline);
        let Some(next) = next else {
            return fail(format!(
                "timed out waiting for the condition on {}/{}",
                first.names.resource, first.key.name
            ));
        };
        if let Err(e) = sh.cluster.advance_to(next) {
            return Err(vec![sim_err(e)]);
        }
    }
}

/// Which metadata map `label` / `annotate` edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MetaField {
    Labels,
    Annotations,
}

/// `GetResourcesAndPairs`.
fn resources_and_pairs(
    args: &[String],
    pair_type: &str,
) -> Result<(Vec<String>, Vec<String>), KErr> {
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    let mut found_pair = false;
    for s in args {
        let non_resource =
            (s.contains('=') && !s.starts_with('=')) || (s.ends_with('-') && s != "-");
        if non_resource {
            found_pair = true;
            pairs.push(s.clone());
        } else if found_pair {
            return Err(KErr::plain(format!(
                "all resources must be specified before {pair_type} changes: {s}"
            )));
        } else {
            resources.push(s.clone());
        }
    }
    Ok((resources, pairs))
}

type Updates = (Vec<(String, String)>, Vec<String>);

fn insert(updates: &mut Vec<(String, String)>, k: &str, v: &str) {
    match updates.iter_mut().find(|(key, _)| key == k) {
        Some(e) => e.1 = v.to_owned(),
        None => updates.push((k.to_owned(), v.to_owned())),
    }
}

/// `parseLabels`.
fn parse_labels(specs: &[String]) -> Result<Updates, KErr> {
    let mut set = Vec::new();
    let mut remove = Vec::new();
    for spec in specs {
        if spec.contains('=') {
            let parts: Vec<&str> = spec.split('=').collect();
            if parts.len() != 2 {
                return Err(KErr::plain(format!("invalid label spec: {spec}")));
            }
            let errs = crate::validation::names::is_valid_label_value(parts[1]);
            if !errs.is_empty() {
                return Err(KErr::plain(format!(
                    "invalid label value: {}: {}",
                    go_quote(spec),
                    errs.join(";")
                )));
            }
            insert(&mut set, parts[0], parts[1]);
        } else if let Some(k) = spec.strip_suffix('-') {
            remove.push(k.to_owned());
        } else {
            return Err(KErr::plain(format!("unknown label spec: {spec}")));
        }
    }
    if remove.iter().any(|r| set.iter().any(|(k, _)| k == r)) {
        return Err(KErr::plain(
            "can not both modify and remove a label in the same command",
        ));
    }
    Ok((set, remove))
}

/// `ParsePairs(..., "annotation", true)` and `validateAnnotations`.
fn parse_annotations(specs: &[String]) -> Result<Updates, KErr> {
    let mut set = Vec::new();
    let mut remove = Vec::new();
    let mut invalid = Vec::new();
    for spec in specs {
        if spec.contains('=') && !spec.starts_with('=') {
            if let Some((k, v)) = spec.split_once('=') {
                insert(&mut set, k, v);
            }
        } else if spec.ends_with('-') && spec != "-" {
            remove.push(spec[..spec.len() - 1].to_owned());
        } else {
            invalid.push(spec.clone());
        }
    }
    if !invalid.is_empty() {
        return Err(KErr::plain(format!(
            "invalid annotation format: {}",
            invalid.join(", ")
        )));
    }
    let both: Vec<&str> = remove
        .iter()
        .filter(|r| set.iter().any(|(k, _)| k == *r))
        .map(String::as_str)
        .collect();
    if !both.is_empty() {
        return Err(KErr::plain(format!(
            "can not both modify and remove the following annotation(s) in the same command: {}",
            both.join(", ")
        )));
    }
    Ok((set, remove))
}

/// `kubectl label` and `kubectl annotate`.
pub(super) fn label(
    sh: &mut Shell,
    ctx: &mut Ctx<'_>,
    out: &mut Output,
    field: MetaField,
) -> CmdResult {
    let (what, what_plural) = match field {
        MetaField::Labels => ("label", "labels"),
        MetaField::Annotations => ("annotation", "annotations"),
    };
    let (resource_args, pairs) = resources_and_pairs(&ctx.flags.args, what).map_err(|e| vec![e])?;
    let (set, remove) = match field {
        MetaField::Labels => parse_labels(&pairs),
        MetaField::Annotations => parse_annotations(&pairs),
    }
    .map_err(|e| vec![e])?;
    let list = ctx.flags.boolean("list", false);
    if list && !ctx.flags.string("output").is_empty() {
        return fail("--list and --output may not be specified together");
    }
    let all = ctx.flags.boolean("all", false);
    let selector = ctx.flags.string("selector");
    if all && !selector.is_empty() {
        return fail("cannot set --all and --selector at the same time");
    }
    let (files, file_errors) = read_files(ctx, FieldValidation::Ignore);
    if !file_errors.is_empty() {
        return Err(file_errors);
    }
    if resource_args.is_empty() && files.is_empty() {
        return fail(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        );
    }
    if set.is_empty() && remove.is_empty() && !list {
        return fail(format!("at least one {what} update is required"));
    }
    let req = Request {
        args: &resource_args,
        files: &files,
        selector: &selector,
        select_all: all,
        all_namespaces: ctx.flags.boolean("all-namespaces", false),
        allow_empty_selector: all,
        namespace: &ctx.namespace,
        single_type: false,
    };
    let found = resources::resolve(&sh.cluster, &req).map_err(|e| vec![e])?;
    let resource_version = ctx.flags.string("resource-version");
    if !found.single_item && !resource_version.is_empty() {
        return fail("--resource-version may only be used with a single resource");
    }
    let overwrite = ctx.flags.boolean("overwrite", false);
    let cause = change_cause(ctx);
    let mut errors = found.errors;
    for info in found.infos {
        let Some(original) = info.object.clone() else {
            continue;
        };
        let mut obj = original.clone();
        let Some(meta) = obj.metadata_mut() else {
            continue;
        };
        // RunLabel reports missing keys before labelFunc, outside `--list`.
        if field == MetaField::Labels && !list {
            for r in &remove {
                if !meta.labels.contains_key(r) {
                    out.out(&format!("label {} not found.\n", go_quote(r)));
                }
            }
        }
        if !overwrite {
            let current = match field {
                MetaField::Labels => &meta.labels,
                MetaField::Annotations => &meta.annotations,
            };
            let conflicts: Vec<(String, String)> = set
                .iter()
                .filter(|(k, _)| field == MetaField::Labels || k != CHANGE_CAUSE_ANNOTATION)
                .filter_map(|(k, _)| current.get(k).map(|v| (k.clone(), v.clone())))
                .collect();
            if !conflicts.is_empty() {
                match field {
                    MetaField::Labels => {
                        for (k, v) in conflicts {
                            errors.push(KErr::plain(format!(
                                "'{k}' already has a value ({v}), and --overwrite is false"
                            )));
                        }
                    }
                    MetaField::Annotations => {
                        let parts: Vec<String> = conflicts
                            .iter()
                            .map(|(k, v)| format!("'{k}' already has a value ({v})"))
                            .collect();
                        errors.push(KErr::plain(format!(
                            "--overwrite is false but found the following declared annotation(s): {}",
                            parts.join("; ")
                        )));
                    }
                }
                continue;
            }
        }
        // `--list` shows the updated object without writing it (kubectl applies the
        // updates locally, then lists).
        if !list {
            if let Some(c) = &cause {
                meta.annotations
                    .insert(CHANGE_CAUSE_ANNOTATION.to_owned(), c.clone());
            }
        }
        let map = match field {
            MetaField::Labels => &mut meta.labels,
            MetaField::Annotations => &mut meta.annotations,
        };
        for (k, v) in &set {
            map.insert(k.clone(), v.clone());
        }
        for r in &remove {
            map.shift_remove(r);
        }
        if list {
            let indent = if found.single_item {
                ""
            } else {
                out.out(&format!(
                    "Listing {what_plural} for {}.{}/{}:\n",
                    info.kind_name,
                    info.names.group_kind.split_once('.').map_or("", |(_, g)| g),
                    info.key.name
                ));
                " "
            };
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for k in keys {
                let v = map.get(k).map_or("", String::as_str);
                out.out(&format!("{indent}{k}={v}\n"));
            }
            continue;
        }
        if !resource_version.is_empty() && meta.resource_version != resource_version {
            errors.push(KErr::Status {
                reason: "Conflict",
                message: format!(
                    "Operation cannot be fulfilled on {} {}: the object has been modified; please apply your changes to the latest version and try again",
                    info.names.resource,
                    go_quote(&info.key.name)
                ),
            });
            continue;
        }
        let operation = match field {
            MetaField::Annotations => "annotated",
            MetaField::Labels => label_change(&original, &obj, overwrite, &resource_version),
        };
        let line = kubectl::name_line(&obj, operation);
        match resources::store(&mut sh.cluster, obj) {
            Ok(()) => out.out(&line),
            Err(e) => errors.push(sim_err(e)),
        }
    }
    finish(errors)
}

/// `updateDataChangeMsg`: kubectl compares the JSON of the whole object before and after the
/// edit (the `--record` annotation included; the resource version cleared beforehand when
/// `--resource-version` is given), and calls a shorter object without `--overwrite` unlabeled.
fn label_change(
    before: &Object,
    after: &Object,
    overwrite: bool,
    resource_version: &str,
) -> &'static str {
    let mut before = before.clone();
    if !resource_version.is_empty() {
        if let Some(m) = before.metadata_mut() {
            m.resource_version.clear();
        }
    }
    let old = serde_json::to_string(&before).unwrap_or_default();
    let new = serde_json::to_string(after).unwrap_or_default();
    if old == new {
        "not labeled"
    } else if !overwrite && new.len() < old.len() {
        "unlabeled"
    } else {
        "labeled"
    }
}

/// `kubectl scale`.
pub(super) fn scale(sh: &mut Shell, ctx: &mut Ctx<'_>, out: &mut Output) -> CmdResult {
    if !ctx.flags.changed("replicas") {
        return fail("required flag(s) \"replicas\" not set");
    }
    let replicas = ctx.flags.int("replicas", -1);
    let current = ctx.flags.int("current-replicas", -1);
    if replicas < 0 {
        return fail(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        );
    }
    if current < -1 {
        return fail("The --current-replicas must specify an integer of -1 or greater");
    }
    let all = ctx.flags.boolean("all", false);
    let selector = ctx.flags.string("selector");
    let (files, file_errors) = read_files(ctx, FieldValidation::Ignore);
    if !file_errors.is_empty() {
        return Err(file_errors);
    }
    let req = Request {
        args: &ctx.flags.args,
        files: &files,
        selector: &selector,
        select_all: all,
        all_namespaces: false,
        allow_empty_selector: all,
        namespace: &ctx.namespace,
        single_type: false,
    };
    let found = resources::resolve(&sh.cluster, &req).map_err(|e| vec![e])?;
    if !found.errors.is_empty() {
        return Err(found.errors);
    }
    let resource_version = ctx.flags.value("resource-version").map(str::to_owned);
    if resource_version.is_some() && found.infos.len() > 1 {
        return fail("cannot use --resource-version with multiple resources");
    }
    if found.infos.is_empty() {
        return fail("no objects passed to scale");
    }
    let request = ScaleRequest {
        replicas: Some(replicas),
        current_replicas: current,
        resource_version,
    };
    let cause = change_cause(ctx);
    let mut errors = Vec::new();
    for info in found.infos {
        let Some(obj) = info.object else { continue };
        match kubectl::scale(&obj, &request) {
            Ok((mut scaled, line)) => {
                if let (Some(c), Some(m)) = (&cause, scaled.metadata_mut()) {
                    m.annotations
                        .insert(CHANGE_CAUSE_ANNOTATION.to_owned(), c.clone());
                }
                match resources::store(&mut sh.cluster, scaled) {
                    Ok(()) => out.out(&line),
                    Err(e) => errors.push(sim_err(e)),
                }
            }
            Err(e) => errors.push(KErr::plain(e.to_string())),
        }
    }
    finish(errors)
}

/// `kubectl set image`.
pub(super) fn set_image(sh: &mut Shell, ctx: &mut Ctx<'_>, out: &mut Output) -> CmdResult {
    let all = ctx.flags.boolean("all", false);
    let selector = ctx.flags.string("selector");
    let (files, file_errors) = read_files(ctx, FieldValidation::Ignore);
    if !file_errors.is_empty() {
        return Err(file_errors);
    }
    let set_flags = SetImageFlags {
        all,
        selector: selector.clone(),
        filenames: files.iter().map(|f| f.source.clone()).collect(),
        local: false,
        dry_run_server: false,
    };
    let args: Vec<&str> = ctx.flags.args.iter().map(String::as_str).collect();
    let parsed =
        SetImage::parse(&args, &set_flags).map_err(|e| vec![KErr::plain(e.to_string())])?;
    let req = Request {
        args: &parsed.resources,
        files: &files,
        selector: &selector,
        select_all: all,
        all_namespaces: false,
        allow_empty_selector: all,
        namespace: &ctx.namespace,
        single_type: false,
    };
    let found = resources::resolve(&sh.cluster, &req).map_err(|e| vec![e])?;
    let cause = change_cause(ctx);
    let mut errors = found.errors;
    for info in found.infos {
        let Some(obj) = info.object else { continue };
        if info.kind == Some(Kind::Pod) {
            errors.push(KErr::plain(format!(
                "pod/{}: kube-workloads' simulated cluster cannot change a running pod's image",
                info.key.name
            )));
            continue;
        }
        match parsed.run(&obj, cause.as_deref()) {
            Ok(outcome) => {
                if outcome.changed {
                    if let Err(e) = resources::store(&mut sh.cluster, outcome.object) {
                        errors.push(sim_err(e));
                        continue;
                    }
                    if let Some(line) = &outcome.output {
                        out.out(line);
                    }
                }
                errors.extend(
                    outcome
                        .errors
                        .into_iter()
                        .map(|e| KErr::plain(e.to_string())),
                );
            }
            Err(e) => errors.push(KErr::plain(e.to_string())),
        }
    }
    finish(errors)
}
