//! `kubectl get` and `kubectl describe`, and the events the cluster recorded as the API server
//! stores them (repeats counted).

use crate::api::{Pod, ReplicaSet};
use crate::kubectl::Kind;
use crate::manifest::{DecodeOptions, FieldValidation, Object};
use crate::printers::get::{
    deployments_table, pods_table, replica_sets_table, replication_controllers_table,
};
use crate::printers::{
    DescribeOptions, EventRecord, TableOptions, describe_deployment, describe_pod,
    describe_replica_set, describe_replication_controller,
};
use crate::sim::Cluster;

use super::resources::{self, Info, KErr, Request};
use super::{CmdResult, Ctx, Output, Shell, fail, files, finish};

const OUTPUT_FORMATS: &str = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";

/// How `get` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Table,
    Wide,
    Yaml,
    Json,
    Name,
}

fn mode(output: &str) -> Result<Mode, KErr> {
    let known_unsupported = [
        "go-template",
        "go-template-file",
        "template",
        "templatefile",
        "jsonpath",
        "jsonpath-as-json",
        "jsonpath-file",
        "custom-columns",
        "custom-columns-file",
    ];
    match output {
        "" => Ok(Mode::Table),
        "wide" => Ok(Mode::Wide),
        "yaml" => Ok(Mode::Yaml),
        "json" => Ok(Mode::Json),
        "name" => Ok(Mode::Name),
        other => {
            let base = other.split_once('=').map_or(other, |(b, _)| b);
            if known_unsupported.contains(&base) {
                Err(KErr::plain(format!(
                    "-o {base} is not supported by kube-workloads' simulated cluster"
                )))
            } else {
                Err(KErr::plain(format!(
                    "unable to match a printer suitable for the output format {}, allowed formats are: {OUTPUT_FORMATS}",
                    crate::validation::field::go_quote(other)
                )))
            }
        }
    }
}

/// Objects named by `-f`, decoded leniently (only kinds and names matter).
fn file_objects(ctx: &mut Ctx<'_>) -> Result<Vec<files::FileObject>, Vec<KErr>> {
    let names = ctx.flags.slice("filename");
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let options = DecodeOptions {
        field_validation: FieldValidation::Ignore,
    };
    let (objects, errors) = files::read_objects(
        ctx.io,
        &names,
        ctx.flags.boolean("recursive", false),
        &options,
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    for o in &objects {
        if resources::wk(o.object.kind()).is_none() {
            return fail(format!(
                "{} objects are not served by kube-workloads' simulated cluster",
                o.object.kind()
            ));
        }
    }
    Ok(objects)
}

fn renamed(mut o: Object, prefix: &str) -> Object {
    let name = format!("{prefix}/{}", o.name());
    if let Some(m) = o.metadata_mut() {
        m.name = name;
    }
    o
}

/// The objects `pick` keeps, unwrapped.
fn only<T>(objects: Vec<Object>, pick: impl FnMut(Object) -> Option<T>) -> Vec<T> {
    objects.into_iter().filter_map(pick).collect()
}

/// One table of objects of one kind.
fn table(kind: Kind, objects: Vec<Object>, opts: TableOptions, cluster: &Cluster) -> String {
    let now = cluster.now();
    match kind {
        Kind::Pod => {
            let v = only(objects, |o| match o {
                Object::Pod(p) => Some(p),
                _ => None,
            });
            pods_table(&v, opts, now)
        }
        Kind::ReplicaSet => {
            let v = only(objects, |o| match o {
                Object::ReplicaSet(r) => Some(r),
                _ => None,
            });
            replica_sets_table(&v, opts, now)
        }
        Kind::ReplicationController => {
            let v = only(objects, |o| match o {
                Object::ReplicationController(r) => Some(r),
                _ => None,
            });
            replication_controllers_table(&v, opts, now)
        }
        Kind::Deployment => {
            let v = only(objects, |o| match o {
                Object::Deployment(d) => Some(d),
                _ => None,
            });
            deployments_table(&v, opts, now)
        }
    }
}

/// `kubectl get`.
pub(super) fn get(sh: &mut Shell, ctx: &mut Ctx<'_>, out: &mut Output) -> CmdResult {
    let filenames = ctx.flags.slice("filename");
    if ctx.flags.args.is_empty() && filenames.is_empty() {
        out.err("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\n");
        return Err(vec![KErr::Raw(
            "error: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n"
                .to_owned(),
        )]);
    }
    let output = ctx.flags.string("output");
    if ctx.flags.boolean("show-labels", false) && !output.is_empty() && output != "wide" {
        return fail(format!(
            "--show-labels option cannot be used with {output} printer"
        ));
    }
    let files = file_objects(ctx)?;
    let all_namespaces = ctx.flags.boolean("all-namespaces", false);
    let selector = ctx.flags.string("selector");
    let req = Request {
        args: &ctx.flags.args,
        files: &files,
        selector: &selector,
        select_all: false,
        all_namespaces,
        allow_empty_selector: true,
        namespace: &ctx.namespace,
        single_type: false,
    };
    let mut found = resources::resolve(&sh.cluster, &req).map_err(|e| vec![e])?;
    let ignore_not_found = ctx.flags.boolean("ignore-not-found", false);
    if ignore_not_found {
        found
            .errors
            .retain(|e| !matches!(e, KErr::Status { reason, .. } if *reason == "NotFound"));
    }
    let mode = mode(&output).map_err(|e| vec![e])?;
    let objects: Vec<(Kind, Object)> = found
        .infos
        .iter()
        .filter_map(|i| Some((i.kind?, i.object.clone()?)))
        .collect();
    match mode {
        Mode::Yaml | Mode::Json => {
            let text = if found.single_item && objects.len() == 1 && found.errors.is_empty() {
                let o = &objects[0].1;
                if mode == Mode::Yaml {
                    crate::printers::object_yaml(o)
                } else {
                    crate::printers::object_json(o)
                }
            } else {
                let items: Vec<&Object> = objects.iter().map(|(_, o)| o).collect();
                if found.single_item && objects.is_empty() {
                    Ok(String::new())
                } else if mode == Mode::Yaml {
                    crate::printers::list_yaml(&items)
                } else {
                    crate::printers::list_json(&items)
                }
            };
            match text {
                Ok(t) => out.out(&t),
                Err(e) => found.errors.push(KErr::plain(e.to_string())),
            }
        }
        Mode::Name => {
            for (kind, o) in &objects {
                out.out(&format!("{}/{}\n", kind.name_prefix(), o.name()));
            }
        }
        Mode::Table | Mode::Wide => {
            let no_headers = ctx.flags.boolean("no-headers", false);
            let opts = TableOptions {
                wide: mode == Mode::Wide,
                show_labels: ctx.flags.boolean("show-labels", false),
                no_headers,
                with_namespace: all_namespaces,
            };
            let mut kinds: Vec<Kind> = objects.iter().map(|(k, _)| *k).collect();
            kinds.dedup();
            let mut distinct = kinds.clone();
            distinct.sort();
            distinct.dedup();
            let with_kind = distinct.len() > 1 || ctx.flags.boolean("show-kind", false);
            let mut written = false;
            let mut i = 0;
            while i < objects.len() {
                let kind = objects[i].0;
                let mut group = Vec::new();
                while i < objects.len() && objects[i].0 == kind {
                    let o = objects[i].1.clone();
                    group.push(if with_kind {
                        renamed(o, kind.name_prefix())
                    } else {
                        o
                    });
                    i += 1;
                }
                let text = table(kind, group, opts, &sh.cluster);
                if text.is_empty() {
                    continue;
                }
                if written && !no_headers {
                    out.out("\n");
                }
                out.out(&text);
                written = true;
            }
            if !written && !ignore_not_found && found.errors.is_empty() {
                if all_namespaces {
                    out.err("No resources found\n");
                } else {
                    out.err(&crate::printers::get::no_resources_found(&ctx.namespace));
                }
            }
        }
    }
    if found.errors.is_empty() {
        Ok(())
    } else {
        Err(found.errors)
    }
}

/// The cluster's events as the API stores them: identical events (same object, type, reason,
/// message and source) counted once with their first and last times, as the event recorder
/// aggregates repeats.
pub(super) fn event_records(cluster: &Cluster) -> Vec<EventRecord> {
    let mut out: Vec<EventRecord> = Vec::new();
    for r in cluster.events() {
        let e = &r.event;
        if let Some(existing) = out.iter_mut().find(|x| {
            x.regarding == e.regarding
                && x.type_ == e.type_
                && x.reason == e.reason
                && x.message == e.message
                && x.source == e.source
        }) {
            existing.count += 1;
            existing.last_timestamp = Some(r.time);
            continue;
        }
        out.push(EventRecord::new(e, r.time));
    }
    out
}

fn describe_one(
    cluster: &Cluster,
    info: &Info,
    events: &[EventRecord],
    opts: DescribeOptions,
) -> Result<String, KErr> {
    let now = cluster.now();
    let ns = &info.key.namespace;
    let Some(object) = &info.object else {
        return Err(KErr::not_found(&info.names.resource, &info.key.name));
    };
    match object {
        Object::Pod(p) => Ok(describe_pod(p, events, opts, now)),
        Object::ReplicaSet(rs) => {
            let pods: Vec<Pod> = cluster
                .pods()
                .filter(|p| &p.metadata.namespace == ns)
                .cloned()
                .collect();
            describe_replica_set(rs, &pods, events, opts, now).map_err(|e| KErr::plain(e.0))
        }
        Object::ReplicationController(rc) => {
            let pods: Vec<Pod> = cluster
                .pods()
                .filter(|p| &p.metadata.namespace == ns)
                .cloned()
                .collect();
            Ok(describe_replication_controller(
                rc, &pods, events, opts, now,
            ))
        }
        Object::Deployment(d) => {
            let rss: Vec<ReplicaSet> = cluster
                .replica_sets()
                .filter(|r| &r.metadata.namespace == ns)
                .cloned()
                .collect();
            describe_deployment(d, &rss, events, opts, now).map_err(|e| KErr::plain(e.0))
        }
        other => Err(KErr::plain(format!("no describer for {}", other.kind()))),
    }
}

/// `kubectl describe`.
pub(super) fn describe(sh: &mut Shell, ctx: &mut Ctx<'_>, out: &mut Output) -> CmdResult {
    let filenames = ctx.flags.slice("filename");
    if ctx.flags.args.is_empty() && filenames.is_empty() {
        return Err(vec![KErr::plain(
            "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n",
        )]);
    }
    let files = file_objects(ctx)?;
    let all_namespaces = ctx.flags.boolean("all-namespaces", false);
    let selector = ctx.flags.string("selector");
    let req = Request {
        args: &ctx.flags.args,
        files: &files,
        selector: &selector,
        select_all: false,
        all_namespaces,
        allow_empty_selector: true,
        namespace: &ctx.namespace,
        single_type: false,
    };
    let found = resources::resolve(&sh.cluster, &req).map_err(|e| vec![e])?;
    let opts = DescribeOptions {
        show_events: ctx.flags.boolean("show-events", true),
    };
    let events = event_records(&sh.cluster);
    let args = &ctx.flags.args;
    if args.len() == 2
        && !found.errors.is_empty()
        && matches!(found.errors.as_slice(), [KErr::Status { reason, .. }] if *reason == "NotFound")
    {
        // DescribeMatchingResources: the name is a prefix.
        let kinds = resources::resource_types(&args[0]).map_err(|e| vec![e])?;
        let mut any = false;
        for kind in kinds {
            for o in resources::list(&sh.cluster, kind, Some(&ctx.namespace)) {
                if !o.name().starts_with(args[1].as_str()) {
                    continue;
                }
                any = true;
                let info = Info {
                    kind: Some(kind),
                    kind_name: kind.as_str().to_owned(),
                    names: crate::kubectl::TypeNames::of(&o),
                    key: crate::sim::Key::new(o.namespace(), o.name()),
                    object: Some(o),
                    source: None,
                };
                let s = describe_one(&sh.cluster, &info, &events, opts).map_err(|e| vec![e])?;
                out.out(&format!("{s}\n"));
            }
        }
        return if any { Ok(()) } else { Err(found.errors) };
    }
    let mut first = true;
    let mut errors = found.errors;
    for info in &found.infos {
        match describe_one(&sh.cluster, info, &events, opts) {
            Ok(s) => {
                if first {
                    first = false;
                    out.out(&s);
                } else {
                    out.out(&format!("\n\n{s}"));
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if found.infos.is_empty() && errors.is_empty() {
        if all_namespaces {
            out.err("No resources found\n");
        } else {
            out.err(&format!(
                "No resources found in {} namespace.\n",
                ctx.namespace
            ));
        }
    }
    finish(errors)
}
