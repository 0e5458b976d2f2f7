//! What cli-runtime's resource builder does for the shell: resource types and their aliases
//! (`po`, `rs`, `deploy`, `rc`, `all`), `TYPE NAME...` and `TYPE/NAME` arguments, label
//! selectors, objects named in files, and the errors kubectl prints for them; plus writing an
//! edited object back to the cluster and kubectl's `CheckErr` formatting.

use crate::kubectl::{Kind, TypeNames};
use crate::manifest::Object;
use crate::sim::{Cluster, Key, SimError};
use crate::validation::InvalidError;
use crate::validation::field::go_quote;

use super::files::FileObject;

/// An error as `cmdutil.CheckErr` prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum KErr {
    /// A plain error: `error: <message>` alone, the message as is in an aggregate.
    Plain(String),
    /// An API status error: `Error from server (<reason>): <message>`.
    Status {
        reason: &'static str,
        message: String,
    },
    /// An `Invalid` status error with its causes.
    Invalid(InvalidError),
    /// Text printed exactly as given (already formatted, newline included).
    Raw(String),
}

impl KErr {
    pub(super) fn plain(msg: impl Into<String>) -> KErr {
        KErr::Plain(msg.into())
    }

    /// `Error from server (NotFound): deployments.apps "x" not found`.
    pub(super) fn not_found(resource: &str, name: &str) -> KErr {
        KErr::Status {
            reason: "NotFound",
            message: format!("{resource} {} not found", go_quote(name)),
        }
    }

    fn single(&self) -> String {
        match self {
            KErr::Plain(m) => {
                if m.starts_with("error: ") {
                    m.clone()
                } else {
                    format!("error: {m}")
                }
            }
            KErr::Status { reason, message } => format!("Error from server ({reason}): {message}"),
            KErr::Invalid(e) => e.kubectl_message(),
            KErr::Raw(s) => s.clone(),
        }
    }

    fn in_aggregate(&self) -> String {
        match self {
            KErr::Plain(m) => m.clone(),
            KErr::Invalid(e) => format!("Error from server (Invalid): {e}"),
            other => other.single(),
        }
    }
}

/// `cmdutil.CheckErr` of an aggregate: one error alone, several one per line without prefixes.
pub(super) fn check_err(errs: &[KErr]) -> String {
    let mut out = String::new();
    match errs {
        [] => {}
        [one] => out.push_str(&one.single()),
        many => {
            for e in many {
                let s = e.in_aggregate();
                out.push_str(&s);
                if !s.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A simulator error as kubectl reports the API server's answer.
pub(super) fn sim_err(e: SimError) -> KErr {
    match e {
        SimError::Invalid(inv) => KErr::Invalid(inv),
        SimError::NotFound { kind, key } => {
            let k = wk(kind.as_str()).map_or("", Kind::resource);
            KErr::not_found(k, &key.name)
        }
        SimError::AlreadyExists { kind, key } => KErr::Status {
            reason: "AlreadyExists",
            message: format!(
                "{} {} already exists",
                wk(kind.as_str()).map_or("", Kind::resource),
                go_quote(&key.name)
            ),
        },
        SimError::Apply(a) => {
            let msg = a.to_string();
            if msg.starts_with("The ") {
                KErr::Raw(format!("{msg}\n"))
            } else {
                KErr::Plain(msg)
            }
        }
        other => KErr::Plain(other.to_string()),
    }
}

/// The workload kind of a manifest `kind`.
pub(super) fn wk(kind: &str) -> Option<Kind> {
    match kind {
        "Pod" => Some(Kind::Pod),
        "ReplicaSet" => Some(Kind::ReplicaSet),
        "ReplicationController" => Some(Kind::ReplicationController),
        "Deployment" => Some(Kind::Deployment),
        _ => None,
    }
}

/// The `all` category, in discovery order.
const ALL: [Kind; 4] = [
    Kind::Pod,
    Kind::ReplicationController,
    Kind::Deployment,
    Kind::ReplicaSet,
];

/// Resources a real API server serves that the simulated one does not.
const UNSERVED: &[&str] = &[
    "services",
    "service",
    "svc",
    "configmaps",
    "configmap",
    "cm",
    "secrets",
    "secret",
    "namespaces",
    "namespace",
    "ns",
    "nodes",
    "node",
    "no",
    "events",
    "event",
    "ev",
    "daemonsets",
    "daemonset",
    "ds",
    "statefulsets",
    "statefulset",
    "sts",
    "jobs",
    "job",
    "cronjobs",
    "cronjob",
    "cj",
    "ingresses",
    "ingress",
    "ing",
    "persistentvolumeclaims",
    "persistentvolumeclaim",
    "pvc",
    "persistentvolumes",
    "persistentvolume",
    "pv",
    "serviceaccounts",
    "serviceaccount",
    "sa",
    "endpoints",
    "ep",
    "horizontalpodautoscalers",
    "horizontalpodautoscaler",
    "hpa",
    "networkpolicies",
    "networkpolicy",
    "netpol",
    "poddisruptionbudgets",
    "poddisruptionbudget",
    "pdb",
    "controllerrevisions",
    "controllerrevision",
    "limitranges",
    "limits",
    "resourcequotas",
    "quota",
    "roles",
    "rolebindings",
    "clusterroles",
    "clusterrolebindings",
    "storageclasses",
    "sc",
    "customresourcedefinitions",
    "crd",
    "crds",
];

/// One resource type argument (no commas): its kinds, `all` expanded.
fn one_type(arg: &str) -> Result<Vec<Kind>, KErr> {
    let lower = arg.to_ascii_lowercase();
    let base = lower
        .strip_suffix(".v1.apps")
        .or_else(|| lower.strip_suffix(".apps"))
        .map(|b| (b, true))
        .unwrap_or((lower.as_str(), false));
    let kind = match base {
        ("all", false) => return Ok(ALL.to_vec()),
        ("pods" | "pod" | "po", false) => Kind::Pod,
        ("replicasets" | "replicaset", _) | ("rs", false) => Kind::ReplicaSet,
        ("deployments" | "deployment", _) | ("deploy", false) => Kind::Deployment,
        ("replicationcontrollers" | "replicationcontroller" | "rc", false) => {
            Kind::ReplicationController
        }
        _ => {
            if UNSERVED.contains(&lower.as_str()) {
                return Err(KErr::plain(format!(
                    "the simulated cluster does not serve {}: kube-workloads runs pods, \
                     replicasets, replicationcontrollers and deployments",
                    go_quote(arg)
                )));
            }
            return Err(KErr::plain(format!(
                "the server doesn't have a resource type {}",
                go_quote(arg)
            )));
        }
    };
    Ok(vec![kind])
}

/// `SplitResourceArgument` then the mapping of each type.
pub(super) fn resource_types(arg: &str) -> Result<Vec<Kind>, KErr> {
    let mut out = Vec::new();
    for part in arg.split(',').filter(|p| !p.is_empty()) {
        for k in one_type(part)? {
            if !out.contains(&k) {
                out.push(k);
            }
        }
    }
    Ok(out)
}

/// One object the builder found.
#[derive(Clone, Debug)]
pub(super) struct Info {
    /// Its workload kind (`None` for a pass-through kind named in a file).
    pub(super) kind: Option<Kind>,
    /// The manifest `kind` (`Service`).
    pub(super) kind_name: String,
    /// How kubectl names the type (`pod`, `pods`, ...).
    pub(super) names: TypeNames,
    /// Namespace and name.
    pub(super) key: Key,
    /// The live object (`None` when not fetched: `delete`).
    pub(super) object: Option<Object>,
    /// The file it was named in.
    pub(super) source: Option<String>,
}

impl Info {
    fn of(kind: Kind, object: Object) -> Info {
        Info {
            kind: Some(kind),
            kind_name: kind.as_str().to_owned(),
            names: TypeNames::of(&object),
            key: Key::new(object.namespace(), object.name()),
            object: Some(object),
            source: None,
        }
    }
}

/// What a command asks the builder for.
pub(super) struct Request<'a> {
    /// Positional arguments naming resources.
    pub(super) args: &'a [String],
    /// Objects read from `-f`.
    pub(super) files: &'a [FileObject],
    /// `-l`.
    pub(super) selector: &'a str,
    /// `--all`.
    pub(super) select_all: bool,
    /// `-A`.
    pub(super) all_namespaces: bool,
    /// `ResourceTypeOrNameArgs(allowEmptySelector, ...)`: a type alone lists everything.
    pub(super) allow_empty_selector: bool,
    /// The command's namespace.
    pub(super) namespace: &'a str,
    /// Only one resource type may be named (`SingleResourceType`).
    pub(super) single_type: bool,
}

/// What the builder found.
#[derive(Debug, Default)]
pub(super) struct Resolved {
    /// Objects, in kubectl's order.
    pub(super) infos: Vec<Info>,
    /// Per-object errors (not found), in order.
    pub(super) errors: Vec<KErr>,
    /// Exactly one object was named (`IntoSingleItemImplied`).
    pub(super) single_item: bool,
}

enum Args {
    Nothing,
    Types(Vec<Kind>),
    Named(Vec<(Kind, String)>),
}

const MISSING_RESOURCE: &str = "You must provide one or more resources by argument or filename.\n\
Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/// `ResourceTypeOrNameArgs`: the argument forms and their errors.
fn parse_args(args: &[String]) -> Result<(Args, bool), KErr> {
    let mut args: Vec<String> = args.to_vec();
    // normalizeMultipleResourcesArgs: `a,b x y` reads as `a/x a/y b/x b/y`.
    if args.len() >= 2 {
        let types: Vec<&str> = args[0].split(',').filter(|s| !s.is_empty()).collect();
        if types.len() > 1 {
            let mut v = Vec::new();
            for t in &types {
                for n in &args[1..] {
                    v.push(format!("{t}/{n}"));
                }
            }
            args = v;
        }
    }
    let slashes = args.iter().filter(|a| a.contains('/')).count();
    if slashes > 0 && slashes != args.len() {
        return Err(KErr::plain(
            "there is no need to specify a resource type as a separate argument when passing \
             arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead \
             of 'kubectl get resource resource/<resource_name>'",
        ));
    }
    if slashes > 0 {
        let mut named = Vec::new();
        for a in &args {
            let parts: Vec<&str> = a.split('/').collect();
            if parts.len() != 2 {
                return Err(KErr::plain(
                    "arguments in resource/name form may not have more than one slash",
                ));
            }
            let (t, n) = (parts[0], parts[1]);
            if t.is_empty() || n.is_empty() || t.split(',').filter(|s| !s.is_empty()).count() != 1 {
                return Err(KErr::plain(
                    "arguments in resource/name form must have a single resource and name",
                ));
            }
            let kinds = resource_types(t)?;
            if kinds.len() != 1 {
                return Err(KErr::plain("you may only specify a single resource type"));
            }
            named.push((kinds[0], n.to_owned()));
        }
        let single = named.len() == 1;
        return Ok((Args::Named(named), single));
    }
    match args.as_slice() {
        [] => Ok((Args::Nothing, false)),
        [t] => Ok((Args::Types(resource_types(t)?), false)),
        [t, names @ ..] => {
            let kinds = resource_types(t)?;
            if kinds.len() != 1 {
                return Err(KErr::plain("you may only specify a single resource type"));
            }
            let single = names.len() == 1;
            Ok((
                Args::Named(names.iter().map(|n| (kinds[0], n.clone())).collect()),
                single,
            ))
        }
    }
}

/// The `apiVersion, Resource=plural` form kubectl prints in list errors.
fn gvr(kind: Kind) -> &'static str {
    match kind {
        Kind::Pod => "/v1, Resource=pods",
        Kind::ReplicaSet => "apps/v1, Resource=replicasets",
        Kind::ReplicationController => "/v1, Resource=replicationcontrollers",
        Kind::Deployment => "apps/v1, Resource=deployments",
    }
}

/// Every object of a kind in a namespace (all namespaces for `None`), by namespace then name.
pub(super) fn list(cluster: &Cluster, kind: Kind, namespace: Option<&str>) -> Vec<Object> {
    let keep = |ns: &str| namespace.is_none_or(|n| n == ns);
    let mut v: Vec<Object> = match kind {
        Kind::Pod => cluster
            .pods()
            .filter(|o| keep(&o.metadata.namespace))
            .cloned()
            .map(Object::Pod)
            .collect(),
        Kind::ReplicaSet => cluster
            .replica_sets()
            .filter(|o| keep(&o.metadata.namespace))
            .cloned()
            .map(Object::ReplicaSet)
            .collect(),
        Kind::ReplicationController => cluster
            .replication_controllers()
            .filter(|o| keep(&o.metadata.namespace))
            .cloned()
            .map(Object::ReplicationController)
            .collect(),
        Kind::Deployment => cluster
            .deployments()
            .filter(|o| keep(&o.metadata.namespace))
            .cloned()
            .map(Object::Deployment)
            .collect(),
    };
    v.sort_by(|a, b| (a.namespace(), a.name()).cmp(&(b.namespace(), b.name())));
    v
}

fn labels_of(o: &Object) -> Option<&crate::meta::Labels> {
    o.metadata().map(|m| &m.labels)
}

/// Runs the builder: argument forms, files, selector, lookups.
pub(super) fn resolve(cluster: &Cluster, req: &Request<'_>) -> Result<Resolved, KErr> {
    if !req.files.is_empty() && !req.args.is_empty() {
        return Err(KErr::plain(
            "when paths, URLs, or stdin is provided as input, you may not specify resource \
             arguments as well",
        ));
    }
    let mut out = Resolved::default();
    if !req.files.is_empty() {
        for f in req.files {
            let ns = if f.object.namespace().is_empty() {
                req.namespace
            } else {
                f.object.namespace()
            };
            let key = Key::new(ns, f.object.name());
            let kind = wk(f.object.kind());
            let object = cluster.get(f.object.kind(), &key);
            let names = TypeNames::of(&f.object);
            if object.is_none() {
                out.errors.push(KErr::not_found(&names.resource, &key.name));
                continue;
            }
            out.infos.push(Info {
                kind,
                kind_name: f.object.kind().to_owned(),
                names,
                key,
                object,
                source: Some(f.source.clone()),
            });
        }
        out.single_item = req.files.len() == 1;
        return Ok(out);
    }
    let (args, single) = parse_args(req.args)?;
    let selector = if req.selector.is_empty() {
        None
    } else {
        Some(crate::selector::parse(req.selector))
    };
    let namespace = if req.all_namespaces {
        None
    } else {
        Some(req.namespace)
    };
    match args {
        Args::Nothing => Err(KErr::plain(MISSING_RESOURCE)),
        Args::Types(kinds) => {
            if req.single_type && kinds.len() > 1 {
                return Err(KErr::plain("you may only specify a single resource type"));
            }
            let listing = selector.is_some() || req.select_all || req.allow_empty_selector;
            if !listing {
                return Err(KErr::plain(
                    "resource(s) were provided, but no name was specified",
                ));
            }
            let requirements = match selector {
                Some(Ok(r)) => Some(r),
                Some(Err(e)) => {
                    let kind = kinds.first().copied().unwrap_or(Kind::Pod);
                    return Err(KErr::Status {
                        reason: "BadRequest",
                        message: format!(
                            "Unable to find {} that match label selector {}, field selector \"\": {e}",
                            go_quote(gvr(kind)),
                            go_quote(req.selector)
                        ),
                    });
                }
                None => None,
            };
            for kind in kinds {
                for o in list(cluster, kind, namespace) {
                    let keep = match (&requirements, labels_of(&o)) {
                        (Some(r), Some(l)) => r.matches(l),
                        _ => true,
                    };
                    if keep {
                        out.infos.push(Info::of(kind, o));
                    }
                }
            }
            Ok(out)
        }
        Args::Named(named) => {
            out.single_item = single;
            for (kind, name) in named {
                match cluster.get(kind.as_str(), &Key::new(req.namespace, &name)) {
                    Some(o) => out.infos.push(Info::of(kind, o)),
                    None => out.errors.push(KErr::not_found(kind.resource(), &name)),
                }
            }
            Ok(out)
        }
    }
}

/// Writes an edited object back as an API update (pods: metadata only).
pub(super) fn store(cluster: &mut Cluster, obj: Object) -> Result<(), SimError> {
    match obj {
        Object::Pod(p) => cluster.update_pod_metadata(&Key::of(&p.metadata), p.metadata),
        Object::ReplicaSet(rs) => cluster.update_replica_set(rs),
        Object::ReplicationController(rc) => cluster.update_replication_controller(rc),
        Object::Deployment(d) => cluster.update_deployment(d),
        _ => Ok(()),
    }
}

/// The simulator's kind of a workload kind.
pub(super) fn sim_kind(kind: Kind) -> crate::sim::Kind {
    match kind {
        Kind::Pod => crate::sim::Kind::Pod,
        Kind::ReplicaSet => crate::sim::Kind::ReplicaSet,
        Kind::ReplicationController => crate::sim::Kind::ReplicationController,
        Kind::Deployment => crate::sim::Kind::Deployment,
    }
}
