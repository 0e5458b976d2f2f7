//! Draws a rolling update as an SVG chart, from the simulator's timeline.
//!
//! A Deployment is created on a simulated cluster and settled; then its pod template changes
//! (a new image) and the rollout runs to completion. The chart shows, over simulated seconds
//! since the template change:
//!
//! - for each ReplicaSet (one colour each, named with its revision in the legend), its
//!   `spec.replicas` as a wide solid line and its available pods as a dashed line on top;
//! - the Deployment's total pods (black, solid: terminating pods left out, as the controller
//!   counts them; grey, dotted: terminating pods included) and total available pods (black,
//!   dashed);
//! - the bounds of a rolling update as horizontal bands: `replicas + maxSurge` (the surge
//!   bound: no more pods than this) and `replicas − maxUnavailable` (the availability floor:
//!   no fewer available pods than this).
//!
//! Pods take 2 s to start and 3 s more to become Ready, so each step of the rollout shows.
//!
//! ```text
//! cargo run --example timeline                      # upstream's 10 replicas, maxSurge 3, maxUnavailable 2
//! cargo run --example timeline -- out.svg --book    # the book's sample-deployment (3 replicas, 25%/25%)
//! ```
//!
//! The chart is written to the first argument that is not a flag (default
//! `target/rollout.svg`); the path and a one-line summary are printed.

use std::collections::BTreeMap;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::Duration;

use kube_workloads::api::{DeploymentStrategyType, IntOrString};
use kube_workloads::meta::lookup;
use kube_workloads::sim::{Cluster, Config, ImageProfile, Key, Sample};
use kube_workloads::{Deployment, Time};
use plotters::element::DashedPathElement;
use plotters::prelude::*;

/// Which Deployment is rolled out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// The Kubernetes documentation's worked example: 10 replicas, maxSurge 3,
    /// maxUnavailable 2, `nginx:1.14.2` → `nginx:1.16.1`.
    Upstream,
    /// The book's `sample-deployment`: 3 replicas, the default 25 %/25 %,
    /// `nginx:1.16` → `nginx:1.17`.
    Book,
}

const UPSTREAM: &str = r"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels: {app: nginx}
spec:
  replicas: 10
  selector: {matchLabels: {app: nginx}}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 3, maxUnavailable: 2}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports: [{containerPort: 80}]
";

const BOOK: &str = include_str!("manifests/sample-deployment.yaml");

impl Scenario {
    fn manifest(self) -> &'static str {
        match self {
            Scenario::Upstream => UPSTREAM,
            Scenario::Book => BOOK,
        }
    }

    fn new_image(self) -> &'static str {
        match self {
            Scenario::Upstream => "nginx:1.16.1",
            Scenario::Book => "nginx:1.17",
        }
    }
}

/// One ReplicaSet's series over the rollout.
#[derive(Clone, Debug)]
pub struct ReplicaSetSeries {
    /// Its name (without the namespace).
    pub name: String,
    /// `deployment.kubernetes.io/revision`.
    pub revision: String,
    /// `spec.replicas` at each sample.
    pub spec: Vec<i32>,
    /// Available pods at each sample.
    pub available: Vec<i32>,
}

/// A rollout as recorded by the simulator, ready to draw.
#[derive(Clone, Debug)]
pub struct Rollout {
    /// The Deployment's name.
    pub deployment: String,
    /// `RollingUpdate (maxSurge 3, maxUnavailable 2)` or `Recreate`.
    pub strategy: String,
    /// `spec.replicas`.
    pub replicas: i32,
    /// maxSurge resolved against `spec.replicas`.
    pub max_surge: i32,
    /// maxUnavailable resolved against `spec.replicas`.
    pub max_unavailable: i32,
    /// Seconds since the template change of each sample; the first sample is the settled
    /// state before the change, placed at 0.
    pub times: Vec<i64>,
    /// Seconds from the template change to the rollout's completion.
    pub duration: i64,
    /// The container image before and after the template change.
    pub images: (String, String),
    /// The Deployment's ReplicaSets, oldest revision first.
    pub replica_sets: Vec<ReplicaSetSeries>,
    /// Pods of all its ReplicaSets that are not terminating, at each sample: what the surge
    /// bound limits.
    pub total_pods: Vec<i32>,
    /// Pods of all its ReplicaSets, terminating ones included, at each sample.
    pub all_pods: Vec<i32>,
    /// Available pods of all its ReplicaSets at each sample.
    pub total_available: Vec<i32>,
}

/// The one-line summary the example prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Simulated seconds from the template change to the rollout's completion.
    pub seconds: i64,
    /// Most pods at once, terminating ones left out.
    pub max_pods: i32,
    /// Most pods at once, terminating ones included.
    pub max_pods_with_terminating: i32,
    /// Fewest available pods at once.
    pub min_available: i32,
}

impl Rollout {
    fn max_pods_with_terminating(&self) -> i32 {
        self.all_pods.iter().copied().max().unwrap_or(0)
    }

    /// The one-line summary, for example `nginx-deployment: rolled out in 10 simulated seconds;
    /// at most 13 pods (18 with terminating ones), at least 8 available`.
    #[must_use]
    pub fn summary_line(&self) -> String {
        let s = self.summary();
        format!(
            "{}: rolled out in {} simulated seconds; at most {} pods ({} with terminating ones), at least {} available",
            self.deployment, s.seconds, s.max_pods, s.max_pods_with_terminating, s.min_available
        )
    }

    /// The summary.
    #[must_use]
    pub fn summary(&self) -> Summary {
        Summary {
            seconds: self.duration,
            max_pods: self.total_pods.iter().copied().max().unwrap_or(0),
            max_pods_with_terminating: self.max_pods_with_terminating(),
            min_available: self.total_available.iter().copied().min().unwrap_or(0),
        }
    }
}

/// Runs the scenario on a simulated cluster and collects its timeline.
pub fn simulate(scenario: Scenario) -> Result<Rollout, Box<dyn Error>> {
    let config = Config {
        default_image: ImageProfile {
            start_delay: Duration::from_secs(2),
            ready_delay: Duration::from_secs(3),
            ..ImageProfile::default()
        },
        ..Config::default()
    };
    let mut cluster = Cluster::new(config);
    let d: Deployment = serde_yaml::from_str(scenario.manifest())?;
    let key = cluster.create_deployment(d)?;
    cluster.settle(Duration::from_secs(600))?;

    let before = cluster
        .timeline()
        .samples
        .last()
        .cloned()
        .ok_or("nothing recorded")?;
    let change = cluster.now();
    let mut d = cluster.deployment(&key).ok_or("deployment gone")?.clone();
    let old_image = d.spec.template.spec.containers[0].image.clone();
    d.spec.template.spec.containers[0].image = scenario.new_image().to_owned();
    cluster.update_deployment(d)?;

    // `Cluster::settle`, one deadline at a time, counting terminating pods at each instant
    // (the timeline's pod counts include them; the surge bound does not count them).
    let mut terminating = BTreeMap::new();
    cluster.run_until_idle()?;
    terminating.insert(cluster.now(), terminating_pods(&cluster, &key));
    let stop = change.add_seconds(600);
    while let Some(next) = cluster.next_deadline() {
        if next > stop {
            return Err(format!("the rollout did not settle by {stop}").into());
        }
        cluster.advance_to(next)?;
        terminating.insert(cluster.now(), terminating_pods(&cluster, &key));
    }

    let d = cluster.deployment(&key).ok_or("deployment gone")?;
    let status = &d.status;
    if status.observed_generation < d.metadata.generation
        || status.updated_replicas != d.replicas()
        || status.available_replicas != d.replicas()
        || status.replicas != d.replicas()
    {
        return Err(format!("the rollout did not complete: {status:?}").into());
    }

    let mut samples: Vec<(&Sample, i32)> = vec![(&before, 0)];
    for s in cluster
        .timeline()
        .samples
        .iter()
        .filter(|s| s.time >= change)
    {
        samples.push((s, terminating.get(&s.time).copied().unwrap_or(0)));
    }
    let mut rollout = collect(&cluster, &key, change, &samples)?;
    rollout.images = (old_image, scenario.new_image().to_owned());
    Ok(rollout)
}

/// Pods of the Deployment's ReplicaSets that are terminating.
fn terminating_pods(cluster: &Cluster, key: &Key) -> i32 {
    let Some(d) = cluster.deployment(key) else {
        return 0;
    };
    let owned = |meta: &kube_workloads::ObjectMeta, uid: &str| {
        meta.controller_ref().is_some_and(|r| r.uid == uid)
    };
    let sets: Vec<&str> = cluster
        .replica_sets()
        .filter(|rs| owned(&rs.metadata, &d.metadata.uid))
        .map(|rs| rs.metadata.uid.as_str())
        .collect();
    let n = cluster
        .pods()
        .filter(|p| p.metadata.deletion_timestamp.is_some())
        .filter(|p| sets.iter().any(|uid| owned(&p.metadata, uid)))
        .count();
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn collect(
    cluster: &Cluster,
    key: &Key,
    change: Time,
    samples: &[(&Sample, i32)],
) -> Result<Rollout, Box<dyn Error>> {
    let name = key.to_string();
    let d = cluster.deployment(key).ok_or("deployment gone")?;
    let last = samples
        .iter()
        .rev()
        .find_map(|(s, _)| s.deployments.iter().find(|ds| ds.name == name))
        .ok_or("deployment not sampled")?;
    let strategy = match &d.spec.strategy.type_ {
        DeploymentStrategyType::Recreate => "Recreate".to_owned(),
        DeploymentStrategyType::RollingUpdate => {
            let ru = d.spec.strategy.rolling_update.clone().unwrap_or_default();
            let show = |v: Option<IntOrString>, resolved: i32| match v {
                Some(IntOrString::String(s)) => format!("{s} = {resolved}"),
                _ => resolved.to_string(),
            };
            format!(
                "RollingUpdate (maxSurge {}, maxUnavailable {})",
                show(ru.max_surge, last.max_surge),
                show(ru.max_unavailable, last.max_unavailable)
            )
        }
        other => other.to_string(),
    };

    // The ReplicaSets this Deployment controls, in revision order.
    let mut revisions: BTreeMap<String, String> = BTreeMap::new();
    for rs in cluster.replica_sets() {
        let owned = rs
            .metadata
            .controller_ref()
            .is_some_and(|r| r.uid == d.metadata.uid);
        if owned {
            let revision = lookup(
                &rs.metadata.annotations,
                "deployment.kubernetes.io/revision",
            )
            .cloned()
            .unwrap_or_default();
            revisions.insert(Key::of(&rs.metadata).to_string(), revision);
        }
    }
    let mut order: Vec<(&String, &String)> = revisions.iter().collect();
    order.sort_by_key(|(n, r)| (r.parse::<i64>().unwrap_or(i64::MAX), (*n).clone()));

    let mut replica_sets: Vec<ReplicaSetSeries> = order
        .iter()
        .map(|(n, r)| ReplicaSetSeries {
            name: n.split_once('/').map_or(n.as_str(), |(_, b)| b).to_owned(),
            revision: (*r).clone(),
            spec: Vec::new(),
            available: Vec::new(),
        })
        .collect();
    let mut times = Vec::new();
    let mut total_pods = Vec::new();
    let mut all_pods = Vec::new();
    let mut total_available = Vec::new();
    let mut duration = None;
    for (i, &(s, terminating)) in samples.iter().enumerate() {
        let t = if i == 0 {
            0
        } else {
            s.time.seconds_since(change)
        };
        times.push(t);
        let (mut pods, mut available) = (0, 0);
        for (series, (n, _)) in replica_sets.iter_mut().zip(&order) {
            let rs = s.replica_sets.iter().find(|r| &&r.name == n);
            series.spec.push(rs.map_or(0, |r| r.spec));
            series.available.push(rs.map_or(0, |r| r.available));
            pods += rs.map_or(0, |r| r.pods);
            available += rs.map_or(0, |r| r.available);
        }
        total_pods.push(pods - terminating);
        all_pods.push(pods);
        total_available.push(available);
        // Complete, as `kubectl rollout status` sees it: the controller reports the new
        // ReplicaSet available and no old pod remains but terminating ones.
        let complete = s.deployments.iter().any(|ds| {
            ds.name == name
                && ds
                    .conditions
                    .iter()
                    .any(|(t, _, reason)| t == "Progressing" && reason == "NewReplicaSetAvailable")
        });
        if i > 0 && duration.is_none() && complete && pods - terminating == d.replicas() {
            duration = Some(t);
        }
    }
    Ok(Rollout {
        deployment: key.name.clone(),
        strategy,
        replicas: d.replicas(),
        max_surge: last.max_surge,
        max_unavailable: last.max_unavailable,
        duration: duration.or(times.last().copied()).unwrap_or(0),
        times,
        replica_sets,
        total_pods,
        all_pods,
        total_available,
        images: Default::default(),
    })
}

/// Colours of successive ReplicaSets (Tableau 10).
const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
];
const SURGE: RGBColor = RGBColor(214, 39, 40);
const FLOOR: RGBColor = RGBColor(127, 127, 127);

/// A step function through `values` (held from one sample to the next), from `x0` to `x1`.
fn steps(times: &[i64], values: &[i32], x0: f64, x1: f64) -> Vec<(f64, f64)> {
    let mut points = Vec::with_capacity(values.len() * 2 + 1);
    for (i, (&t, &v)) in times.iter().zip(values).enumerate() {
        let t = if i == 0 { x0 } else { t as f64 };
        if let Some(&(_, prev)) = points.last() {
            points.push((t, prev));
        }
        points.push((t, f64::from(v)));
    }
    if let Some(&(_, v)) = points.last() {
        points.push((x1, v));
    }
    points
}

/// Draws the chart as an SVG file.
pub fn draw_svg(rollout: &Rollout, path: &Path) -> Result<(), Box<dyn Error>> {
    let root = SVGBackend::new(path, (1200, 760)).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.margin(16, 16, 24, 32);

    let surge_bound = rollout.replicas + rollout.max_surge;
    let floor = rollout.replicas - rollout.max_unavailable;
    let peak = [surge_bound, rollout.max_pods_with_terminating()]
        .into_iter()
        .max()
        .unwrap_or(1);
    // Room above the lines for the legend (about 8 rows).
    let y_top = peak + peak * 3 / 10 + 3;
    let y_max = f64::from(y_top) + 0.5;
    let end = rollout
        .times
        .last()
        .copied()
        .unwrap_or(0)
        .max(rollout.duration) as f64;
    let x_min = -(end * 0.05).max(1.0);
    let x_max = end + (end * 0.08).max(2.0);

    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "{}: {} replicas, {}, {} \u{2192} {}",
                rollout.deployment,
                rollout.replicas,
                rollout.strategy,
                rollout.images.0,
                rollout.images.1
            ),
            ("sans-serif", 22),
        )
        .margin(8)
        .x_label_area_size(56)
        .y_label_area_size(64)
        .build_cartesian_2d(x_min..x_max, 0.0..y_max)?;
    let whole = |v: &f64| format!("{v:.0}");
    chart
        .configure_mesh()
        .x_desc("simulated seconds since the template change")
        .y_desc("pods")
        .axis_desc_style(("sans-serif", 18))
        .label_style(("sans-serif", 15))
        .x_label_formatter(&whole)
        .y_label_formatter(&whole)
        .x_labels(16)
        // One tick per pod while that stays legible.
        .y_labels(usize::try_from(y_top + 1).unwrap_or(15).min(15))
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.08))
        .draw()?;

    let legend_line = |style: ShapeStyle| {
        move |(x, y): (i32, i32)| PathElement::new(vec![(x, y), (x + 32, y)], style)
    };
    let legend_dashes = |style: ShapeStyle| {
        move |(x, y): (i32, i32)| DashedPathElement::new(vec![(x, y), (x + 32, y)], 6, 4, style)
    };

    // The bounds: wide pale bands, so that a series running along one stays visible.
    let hline = |y: i32| vec![(x_min, f64::from(y)), (x_max, f64::from(y))];
    let band = |c: RGBColor| c.mix(0.35).stroke_width(7);
    chart
        .draw_series(LineSeries::new(hline(surge_bound), band(SURGE)))?
        .label(format!(
            "surge bound: replicas + maxSurge = {} + {} = {surge_bound}",
            rollout.replicas, rollout.max_surge
        ))
        .legend(legend_line(band(SURGE)));
    chart
        .draw_series(LineSeries::new(hline(floor), band(FLOOR)))?
        .label(format!(
            "availability floor: replicas \u{2212} maxUnavailable = {} \u{2212} {} = {floor}",
            rollout.replicas, rollout.max_unavailable
        ))
        .legend(legend_line(band(FLOOR)));

    let times = &rollout.times;
    // Per ReplicaSet: spec.replicas as a pale wide line, available pods as a dashed line on it.
    for (i, rs) in rollout.replica_sets.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let spec = colour.mix(0.45).stroke_width(6);
        chart
            .draw_series(LineSeries::new(steps(times, &rs.spec, x_min, x_max), spec))?
            .label(format!(
                "{} (revision {}): spec.replicas",
                rs.name, rs.revision
            ))
            .legend(legend_line(spec));
    }
    for (i, rs) in rollout.replica_sets.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let available = colour.stroke_width(2);
        chart
            .draw_series(DashedLineSeries::new(
                steps(times, &rs.available, x_min, x_max),
                6,
                4,
                available,
            ))?
            .label(format!("{} (revision {}): available", rs.name, rs.revision))
            .legend(legend_dashes(available));
    }

    let thin = BLACK.mix(0.6).stroke_width(1);
    chart
        .draw_series(DashedLineSeries::new(
            steps(times, &rollout.all_pods, x_min, x_max),
            2,
            3,
            thin,
        ))?
        .label("all pods, terminating ones included")
        .legend(move |(x, y)| DashedPathElement::new(vec![(x, y), (x + 32, y)], 2, 3, thin));
    let bold = BLACK.stroke_width(2);
    chart
        .draw_series(LineSeries::new(
            steps(times, &rollout.total_pods, x_min, x_max),
            bold,
        ))?
        .label("total pods (not terminating)")
        .legend(legend_line(bold));
    chart
        .draw_series(DashedLineSeries::new(
            steps(times, &rollout.total_available, x_min, x_max),
            10,
            5,
            bold,
        ))?
        .label("total available")
        .legend(move |(x, y)| DashedPathElement::new(vec![(x, y), (x + 32, y)], 10, 5, bold));

    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .margin(8)
        .legend_area_size(44)
        .label_font(("sans-serif", 15))
        .background_style(WHITE.mix(0.92))
        .border_style(BLACK.mix(0.4))
        .draw()?;
    root.present()?;
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut scenario = Scenario::Upstream;
    let mut out = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--book" => scenario = Scenario::Book,
            "--upstream" => scenario = Scenario::Upstream,
            "-h" | "--help" => {
                println!("usage: timeline [OUT.svg] [--book | --upstream]");
                return Ok(());
            }
            flag if flag.starts_with('-') => return Err(format!("unknown flag {flag}").into()),
            path => out = Some(PathBuf::from(path)),
        }
    }
    let out = out.unwrap_or_else(|| PathBuf::from("target/rollout.svg"));
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let rollout = simulate(scenario)?;
    draw_svg(&rollout, &out)?;
    println!("{}", out.display());
    println!("{}", rollout.summary_line());
    Ok(())
}
