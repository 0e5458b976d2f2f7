//! `kubectl sim ...`: the simulator's own controls (clock, faults, node loss, events, reset).

use std::time::Duration;

use crate::printers::duration::since;
use crate::printers::tabwriter::{TABLE, tabwrite};
use crate::sim::{Cluster, Faults};

use super::flags;
use super::read::event_records;
use super::resources::{KErr, sim_err};
use super::{CmdResult, Ctx, Output, Shell, fail};

const USAGE: &str = "advance DURATION | settle | now | fault (quota N|none | fail-deletes N | lag on|off) | lose-node NAME | events | reset";

/// How long `sim settle` may run before it reports that the cluster does not settle.
const SETTLE_LIMIT: Duration = Duration::from_secs(3600);

fn count(arg: Option<&String>, what: &str) -> Result<usize, Vec<KErr>> {
    let Some(a) = arg else {
        return fail(format!("sim fault {what} needs a number"));
    };
    a.parse::<usize>().map_err(|_| {
        vec![KErr::plain(format!(
            "sim fault {what}: {} is not a number",
            crate::validation::field::go_quote(a)
        ))]
    })
}

/// `sim ...`.
pub(super) fn sim(sh: &mut Shell, ctx: &mut Ctx<'_>, out: &mut Output) -> CmdResult {
    let args = ctx.flags.args.clone();
    let word = |i: usize| args.get(i).map(String::as_str);
    match (word(0), word(1)) {
        (Some("advance"), Some(d)) if args.len() == 2 => {
            let d = flags::parse_duration(d).map_err(|e| vec![KErr::plain(e)])?;
            let Some(d) = d.positive() else {
                return fail(
                    "sim advance: the duration must be positive (the clock never goes back)",
                );
            };
            sh.cluster.advance(d).map_err(|e| vec![sim_err(e)])?;
            out.out(&format!("{}\n", sh.cluster.now()));
            Ok(())
        }
        (Some("advance"), _) => fail("sim advance needs one duration (30s, 2m, 1h30m)"),
        (Some("settle"), None) => match sh.cluster.settle(SETTLE_LIMIT) {
            Ok(t) => {
                out.out(&format!("settled at {t}\n"));
                Ok(())
            }
            Err(e) => Err(vec![sim_err(e)]),
        },
        (Some("now"), None) => {
            let now = sh.cluster.now();
            let start = sh.cluster.config().start;
            out.out(&format!(
                "{now} ({} after the start)\n",
                crate::printers::human_duration(now.seconds_since(start))
            ));
            Ok(())
        }
        (Some("fault"), kind) => {
            let mut faults = sh.cluster.config().faults.clone();
            let value = args.get(2);
            let line = match kind {
                Some("quota") => match value.map(String::as_str) {
                    Some("none" | "off") => {
                        faults.pod_quota = None;
                        "fault quota: off\n".to_owned()
                    }
                    _ => {
                        let n = count(value, "quota")?;
                        faults.pod_quota = Some(n);
                        format!("fault quota: at most {n} pods per namespace\n")
                    }
                },
                Some("fail-deletes") => {
                    let n = count(value, "fail-deletes")?;
                    faults.fail_pod_deletes = n;
                    format!("fault fail-deletes: the next {n} pod deletions by controllers fail\n")
                }
                Some("lag") => match value.map(String::as_str) {
                    Some("on") => {
                        faults.lagging_observations = true;
                        "fault lag: controllers observe pods one round late\n".to_owned()
                    }
                    Some("off") => {
                        faults.lagging_observations = false;
                        "fault lag: off\n".to_owned()
                    }
                    _ => return fail("sim fault lag needs on or off"),
                },
                _ => {
                    return fail(
                        "sim fault needs one of: quota N|none, fail-deletes N, lag on|off",
                    );
                }
            };
            if args.len() > 3 {
                return fail(format!(
                    "sim: unexpected arguments: {}",
                    args[3..].join(" ")
                ));
            }
            sh.cluster.set_faults(faults);
            out.out(&line);
            Ok(())
        }
        (Some("lose-node"), Some(node)) if args.len() == 2 => {
            let nodes = &sh.cluster.config().nodes;
            if !nodes.iter().any(|n| n == node) {
                return fail(format!(
                    "no node {} (nodes: {})",
                    crate::validation::field::go_quote(node),
                    nodes.join(", ")
                ));
            }
            let evict = sh
                .cluster
                .now()
                .add_duration(sh.cluster.config().eviction_delay);
            sh.cluster.lose_node(node);
            out.out(&format!(
                "node {} lost: its pods are not ready and are evicted at {evict}\n",
                crate::validation::field::go_quote(node)
            ));
            Ok(())
        }
        (Some("events"), None) => {
            let table = events_table(&sh.cluster, &ctx.namespace);
            if table.is_empty() {
                out.err(&format!(
                    "No events found in {} namespace.\n",
                    ctx.namespace
                ));
            }
            out.out(&table);
            Ok(())
        }
        (Some("reset"), None) => {
            let mut config = sh.cluster.config().clone();
            config.faults = Faults::default();
            sh.cluster = Cluster::new(config);
            sh.resets += 1;
            out.out("the simulated cluster is empty again\n");
            Ok(())
        }
        (None, _) => {
            out.out(&format!("Usage:\n  kubectl sim {USAGE}\n"));
            Ok(())
        }
        (Some(known @ ("settle" | "now" | "lose-node" | "events" | "reset")), _) => fail(format!(
            "wrong arguments for sim {known}: kubectl sim {USAGE}"
        )),
        (Some(other), _) => fail(format!(
            "unknown sim command {}: kubectl sim {USAGE}",
            crate::validation::field::go_quote(other)
        )),
    }
}

/// Events of a namespace as `kubectl events` prints them, oldest first.
fn events_table(cluster: &Cluster, namespace: &str) -> String {
    let now = cluster.now();
    let mut records: Vec<_> = event_records(cluster)
        .into_iter()
        .filter(|e| e.regarding.namespace == namespace)
        .collect();
    if records.is_empty() {
        return String::new();
    }
    records.sort_by_key(|e| e.last_timestamp);
    let mut text = String::from("LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n");
    for e in records {
        let interval = if e.count > 1 {
            format!(
                "{} (x{} over {})",
                since(e.last_timestamp, now),
                e.count,
                since(e.first_timestamp, now)
            )
        } else {
            since(e.first_timestamp, now)
        };
        text.push_str(&format!(
            "{interval}\t{}\t{}\t{}/{}\t{}\n",
            e.type_,
            e.reason,
            e.regarding.kind,
            e.regarding.name,
            e.message.trim()
        ));
    }
    tabwrite(&text, TABLE)
}
