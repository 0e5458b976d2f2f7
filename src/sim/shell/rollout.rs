//! `kubectl rollout status|history|undo|restart|pause|resume`.

use std::time::Duration;

use crate::api::ReplicaSet;
use crate::kubectl::{self, RolloutStatus, UndoOutcome};
use crate::manifest::Object;

use super::resources::{self, KErr, Request, Resolved, sim_err};
use super::{CmdResult, Ctx, Output, Shell, fail, files, finish};
use crate::manifest::{DecodeOptions, FieldValidation};

/// The longest `rollout status` waits without `--timeout` (kubectl would wait forever).
const MAX_WATCH: Duration = Duration::from_secs(24 * 3600);

fn targets(sh: &Shell, ctx: &mut Ctx<'_>, single_type: bool) -> Result<Resolved, Vec<KErr>> {
    let names = ctx.flags.slice("filename");
    let (files, errors) = if names.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        files::read_objects(
            ctx.io,
            &names,
            ctx.flags.boolean("recursive", false),
            &DecodeOptions {
                field_validation: FieldValidation::Ignore,
            },
        )
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    if ctx.flags.args.is_empty() && files.is_empty() {
        return fail("required resource not specified");
    }
    let selector = ctx.flags.string("selector");
    let req = Request {
        args: &ctx.flags.args,
        files: &files,
        selector: &selector,
        select_all: false,
        all_namespaces: false,
        allow_empty_selector: true,
        namespace: &ctx.namespace,
        single_type,
    };
    resources::resolve(&sh.cluster, &req).map_err(|e| vec![e])
}

/// `Validate` of `rollout history` and `rollout status`: a resource must be named, then the
/// revision must not be negative; both before the builder runs.
fn validate_revision(ctx: &Ctx<'_>) -> Result<i64, Vec<KErr>> {
    if ctx.flags.args.is_empty() && ctx.flags.slice("filename").is_empty() {
        return fail("required resource not specified");
    }
    let revision = ctx.flags.int("revision", 0);
    if revision < 0 {
        return fail(format!("revision must be a positive integer: {revision}"));
    }
    Ok(revision)
}

fn replica_sets(sh: &Shell, namespace: &str) -> Vec<ReplicaSet> {
    sh.cluster
        .replica_sets()
        .filter(|rs| rs.metadata.namespace == namespace)
        .cloned()
        .collect()
}

/// `kubectl rollout history`.
pub(super) fn history(sh: &mut Shell, ctx: &mut Ctx<'_>, out: &mut Output) -> CmdResult {
    let revision = validate_revision(ctx)?;
    let found = targets(sh, ctx, false)?;
    let mut errors = found.errors;
    for info in &found.infos {
        let Some(obj) = &info.object else { continue };
        let rss = replica_sets(sh, &info.key.namespace);
        match kubectl::history(obj, &rss, revision) {
            Ok(text) => out.out(&text),
            Err(e) => errors.push(KErr::plain(e.to_string())),
        }
    }
    finish(errors)
}

/// `kubectl rollout undo`.
pub(super) fn undo(sh: &mut Shell, ctx: &mut Ctx<'_>, out: &mut Output) -> CmdResult {
    let to_revision = ctx.flags.int("to-revision", 0);
    let found = targets(sh, ctx, false)?;
    let mut errors = found.errors;
    for info in &found.infos {
        let Some(obj) = &info.object else { continue };
        let rss = replica_sets(sh, &info.key.namespace);
        match kubectl::undo(obj, &rss, to_revision) {
            Ok(UndoOutcome::RolledBack {
                deployment, output, ..
            }) => match resources::store(&mut sh.cluster, Object::Deployment(*deployment)) {
                Ok(()) => out.out(&output),
                Err(e) => errors.push(sim_err(e)),
            },
            Ok(UndoOutcome::Skipped { output }) => out.out(&output),
            Err(e) => errors.push(KErr::plain(e.to_string())),
        }
    }
    finish(errors)
}

/// `kubectl rollout pause|resume|restart`.
pub(super) fn pause_resume_restart(
    sh: &mut Shell,
    ctx: &mut Ctx<'_>,
    out: &mut Output,
) -> CmdResult {
    // Nothing matching prints nothing: kubectl flattens the list and patches each item.
    let found = targets(sh, ctx, false)?;
    let mut errors = found.errors;
    let now = sh.cluster.now();
    for info in &found.infos {
        let Some(obj) = &info.object else { continue };
        let result = match ctx.cmd {
            super::flags::Cmd::RolloutPause => kubectl::pause(obj),
            super::flags::Cmd::RolloutResume => kubectl::resume(obj),
            _ => kubectl::restart(obj, now),
        };
        match result {
            Ok((updated, line)) => match resources::store(&mut sh.cluster, updated) {
                Ok(()) => out.out(&line),
                Err(e) => errors.push(sim_err(e)),
            },
            Err(e) => errors.push(KErr::plain(e.to_string())),
        }
    }
    finish(errors)
}

/// `kubectl rollout status`: the status viewer at every change of the simulated cluster until
/// the rollout is done, fails, or the timeout passes.
pub(super) fn status(sh: &mut Shell, ctx: &mut Ctx<'_>, out: &mut Output) -> CmdResult {
    let revision = validate_revision(ctx)?;
    let found = targets(sh, ctx, true)?;
    if !found.errors.is_empty() {
        return Err(found.errors);
    }
    let info = match found.infos.as_slice() {
        [] => {
            out.err(&crate::printers::get::no_resources_found(&ctx.namespace));
            return Ok(());
        }
        [one] => one.clone(),
        many => {
            return fail(format!(
                "rollout status is only supported on individual resources and resource collections - {} resources were found",
                many.len()
            ));
        }
    };
    let watch = ctx.flags.boolean("watch", true);
    let timeout = ctx.flags.duration("timeout").and_then(|d| d.positive());
    let start = sh.cluster.now();
    let limit = start.add_duration(timeout.unwrap_or(MAX_WATCH));
    let mut last: Option<String> = None;
    loop {
        let Some(obj) = sh.cluster.get(&info.kind_name, &info.key) else {
            return fail("object has been deleted");
        };
        if obj.metadata().map(|m| &m.uid)
            != info
                .object
                .as_ref()
                .and_then(|o| o.metadata().map(|m| &m.uid))
        {
            return fail("object has been deleted");
        }
        let st = kubectl::status(&obj, revision).map_err(|e| vec![KErr::plain(e.to_string())])?;
        if last.as_deref() != Some(st.message()) {
            out.out(st.message());
            last = Some(st.message().to_owned());
        }
        if matches!(st, RolloutStatus::Done(_)) || !watch {
            return Ok(());
        }
        match sh.cluster.next_deadline() {
            Some(next) if next <= limit => {
                sh.cluster.advance_to(next).map_err(|e| vec![sim_err(e)])?;
            }
            next => {
                if timeout.is_some() {
                    sh.cluster.advance_to(limit).map_err(|e| vec![sim_err(e)])?;
                    return fail("timed out waiting for the condition");
                }
                if next.is_none() {
                    return fail(
                        "the rollout cannot progress: nothing is left to happen in the simulated cluster (kubectl would wait until interrupted; pass --timeout to bound the wait)",
                    );
                }
                sh.cluster.advance_to(limit).map_err(|e| vec![sim_err(e)])?;
                return fail(
                    "the rollout did not finish within a simulated day (kubectl would keep waiting; pass --timeout to bound the wait)",
                );
            }
        }
    }
}
