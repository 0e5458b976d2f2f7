//! `kubectl set image`: argument parsing (`GetResourcesAndPairs`, `ParsePairs`), validation,
//! and the update of containers and init containers.

use std::fmt;

use crate::api::Container;
use crate::deployment::util::CHANGE_CAUSE_ANNOTATION;

use super::{Object, name_line, server};

/// The flags `set image` validates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetImageFlags {
    /// `--all`.
    pub all: bool,
    /// `-l, --selector`.
    pub selector: String,
    /// `-f, --filename` (and `-k`): non-empty when objects come from files.
    pub filenames: Vec<String>,
    /// `--local`.
    pub local: bool,
    /// `--dry-run=server`.
    pub dry_run_server: bool,
}

/// One validation failure of `set image` (upstream's `Validate`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SetImageProblem {
    /// `--all` with `--selector`.
    #[error("cannot set --all and --selector at the same time")]
    AllAndSelector,
    /// No resource and no file.
    #[error("one or more resources must be specified as <resource> <name> or <resource>/<name>")]
    NoResource,
    /// No `name=image` pair.
    #[error("at least one image update is required")]
    NoImage,
    /// `*` together with other pairs.
    #[error(
        "all containers are already specified by *, but saw more than one container_name=container_image pairs"
    )]
    WildcardWithOthers,
    /// `--local` with `--dry-run=server`.
    #[error("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")]
    LocalWithServerDryRun,
}

/// Why `set image` failed (or, for [`SetImageError::ContainerNotFound`], what it reports
/// besides the update it did make).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SetImageError {
    /// A resource argument after a `name=image` pair.
    #[error("all resources must be specified before image changes: {arg}")]
    ResourceAfterImages {
        /// The offending argument.
        arg: String,
    },
    /// Pairs that do not parse.
    #[error("invalid image format: {}", .args.join(", "))]
    InvalidImageFormat {
        /// The offending arguments.
        args: Vec<String>,
    },
    /// Validation failures, printed as upstream's aggregate (`[a, b]` for several).
    #[error("{}", Problems(.0))]
    Invalid(Vec<SetImageProblem>),
    /// No container or init container has this name.
    #[error("error: unable to find container named {}", crate::validation::field::go_quote(.name))]
    ContainerNotFound {
        /// The name given.
        name: String,
    },
    /// A ReplicationController without a pod template.
    #[error("error: {object} the object is not a pod or does not have a pod template")]
    NoPodTemplate {
        /// `replicationcontroller/x`.
        object: String,
    },
}

struct Problems<'a>(&'a [SetImageProblem]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [one] => write!(f, "{one}"),
            many => {
                let parts: Vec<String> = many.iter().map(ToString::to_string).collect();
                write!(f, "[{}]", parts.join(", "))
            }
        }
    }
}

/// A parsed and validated `kubectl set image` command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetImage {
    /// The resource arguments (`deployment/web`, or `deployment web`).
    pub resources: Vec<String>,
    /// Container name (or `*`) → image, in command-line order; a repeated name keeps its last
    /// image.
    pub images: Vec<(String, String)>,
}

/// The result of `set image` on one object.
#[derive(Clone, Debug, PartialEq)]
pub struct SetImageOutcome {
    /// The object after the patch (unchanged when nothing changed).
    pub object: Object,
    /// Whether anything changed (kubectl sends no patch otherwise).
    pub changed: bool,
    /// `deployment.apps/web image updated\n`, or `None` when nothing changed (kubectl prints
    /// nothing then).
    pub output: Option<String>,
    /// Containers that were not found; kubectl prints them as errors and exits 1, after
    /// applying the other updates.
    pub errors: Vec<SetImageError>,
}

fn is_pair(s: &str) -> bool {
    (s.contains('=') && !s.starts_with('=')) || (s.ends_with('-') && s != "-")
}

impl SetImage {
    /// Splits the positional arguments into resources and `name=image` pairs and validates
    /// them with the flags, as upstream's `Complete` and `Validate` do.
    pub fn parse(args: &[&str], flags: &SetImageFlags) -> Result<SetImage, SetImageError> {
        let mut resources = Vec::new();
        let mut pairs = Vec::new();
        let mut found_pair = false;
        for &s in args {
            let non_resource = is_pair(s);
            if non_resource {
                found_pair = true;
                pairs.push(s);
            } else if found_pair {
                return Err(SetImageError::ResourceAfterImages { arg: s.to_owned() });
            } else {
                resources.push(s.to_owned());
            }
        }
        let mut images: Vec<(String, String)> = Vec::new();
        let mut invalid = Vec::new();
        for p in pairs {
            match p.split_once('=').filter(|_| !p.starts_with('=')) {
                Some((k, v)) => {
                    if let Some(e) = images.iter_mut().find(|(n, _)| n == k) {
                        e.1 = v.to_owned();
                    } else {
                        images.push((k.to_owned(), v.to_owned()));
                    }
                }
                None => invalid.push(p.to_owned()),
            }
        }
        if !invalid.is_empty() {
            return Err(SetImageError::InvalidImageFormat { args: invalid });
        }
        let mut problems = Vec::new();
        if flags.all && !flags.selector.is_empty() {
            problems.push(SetImageProblem::AllAndSelector);
        }
        if resources.is_empty() && flags.filenames.is_empty() {
            problems.push(SetImageProblem::NoResource);
        }
        if images.is_empty() {
            problems.push(SetImageProblem::NoImage);
        } else if images.len() > 1 && images.iter().any(|(n, _)| n == "*") {
            problems.push(SetImageProblem::WildcardWithOthers);
        }
        if flags.local && flags.dry_run_server {
            problems.push(SetImageProblem::LocalWithServerDryRun);
        }
        if !problems.is_empty() {
            return Err(SetImageError::Invalid(problems));
        }
        Ok(SetImage { resources, images })
    }

    /// Sets the images on one object; with `Some(change_cause)` (`--record`) the change cause
    /// annotation is written too. The object is then what the API server stores after the
    /// strategic merge patch.
    pub fn run(
        &self,
        obj: &Object,
        change_cause: Option<&str>,
    ) -> Result<SetImageOutcome, SetImageError> {
        let mut updated = obj.clone();
        let mut errors = Vec::new();
        {
            let Some(spec) = crate::kubectl::pod_spec_mut(&mut updated) else {
                return Err(SetImageError::NoPodTemplate {
                    object: crate::kubectl::qualified_name(obj),
                });
            };
            for (name, image) in &self.images {
                let init = set_image(&mut spec.init_containers, name, image);
                let regular = set_image(&mut spec.containers, name, image);
                if !init && !regular {
                    errors.push(SetImageError::ContainerNotFound { name: name.clone() });
                }
            }
        }
        if let (Some(cause), Some(meta)) = (change_cause, updated.metadata_mut()) {
            meta.annotations
                .insert(CHANGE_CAUSE_ANNOTATION.to_owned(), cause.to_owned());
        }
        if &updated == obj {
            return Ok(SetImageOutcome {
                object: obj.clone(),
                changed: false,
                output: None,
                errors,
            });
        }
        server::finish_update(obj, &mut updated);
        let output = Some(name_line(&updated, "image updated"));
        Ok(SetImageOutcome {
            object: updated,
            changed: true,
            output,
            errors,
        })
    }
}

fn set_image(containers: &mut [Container], name: &str, image: &str) -> bool {
    let mut found = false;
    for c in containers.iter_mut() {
        if c.name == name || name == "*" {
            found = true;
            c.image = image.to_owned();
        }
    }
    found
}
