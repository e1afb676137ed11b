//! Benchmark peer for `atlas bench regioncam`: partitions a 2-D rectangle by a relu-atlas-model/1 network with
//! Regioncam's Rust core and prints the region count, the partition time and the peak resident memory.
//!
//!   regioncam-bench MODEL.json XMIN XMAX YMIN YMAX [REPEATS]
//!
//! Output, one line per repeat: `regions=N seconds=S`, then `peak_rss_kib=K` (VmHWM of this process) and
//! `cpu_seconds=C` (user + system time of this process, all repeats and the JSON reading, from /proc/self/stat).
//! The time covers what Regioncam does for the net (building the mesh of the rectangle, every layer's linear
//! map and split), not reading the JSON file. Regioncam works in f32, as it ships; the weights are rounded to f32.
use std::time::Instant;

use ndarray::{Array1, Array2};
use regioncam::nn::Linear;
use regioncam::{NNBuilder, Regioncam};
use serde_json::Value;

/// USER_HZ of Linux on x86-64 and arm64 (the unit of /proc/self/stat's times); std offers no sysconf.
const CLOCK_TICKS_PER_SECOND: f64 = 100.0;

struct Layer {
    linear: Linear,
    activation: String,
    leak: f32,
}

fn fail(msg: &str) -> ! {
    eprintln!("regioncam-bench: {msg}");
    std::process::exit(2)
}

fn read_model(path: &str) -> Vec<Layer> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    if json["format"] != "relu-atlas-model/1" { fail(&format!("{path}: not a relu-atlas-model/1 file")); }
    if json["input_dim"] != 2 { fail(&format!("{path}: input_dim must be 2 for a plane partition")); }
    let layers = json["layers"].as_array().unwrap_or_else(|| fail("no layers"));
    layers.iter().enumerate().map(|(i, l)| {
        if l.get("skips").is_some() { fail(&format!("layer {i}: skip connections are not supported here")); }
        let rows = l["weights"].as_array().unwrap_or_else(|| fail(&format!("layer {i}: no weights")));
        let out = rows.len();
        let inp = rows[0].as_array().map_or(0, |r| r.len());
        // relu-atlas stores weights[out][in]; Regioncam computes x.dot(weight), so weight is [in][out]
        let mut weight = Array2::<f32>::zeros((inp, out));
        for (o, row) in rows.iter().enumerate() {
            for (k, v) in row.as_array().unwrap().iter().enumerate() { weight[(k, o)] = v.as_f64().unwrap() as f32; }
        }
        let bias = match l.get("bias").and_then(|b| b.as_array()) {
            Some(b) => Array1::from_iter(b.iter().map(|v| v.as_f64().unwrap() as f32)),
            None => Array1::zeros(out),
        };
        Layer {
            linear: Linear::new(weight, bias),
            activation: l["activation"].as_str().unwrap_or("relu").to_string(),
            leak: l.get("leak").and_then(|v| v.as_f64()).unwrap_or(0.01) as f32,
        }
    }).collect()
}

fn partition(layers: &[Layer], bx: [f32; 4]) -> usize {
    let mut rc = Regioncam::rectangle(bx[0], bx[1], bx[2], bx[3]);
    for l in layers {
        rc.add(&l.linear);
        match l.activation.as_str() {
            "relu" => rc.relu(),
            "leaky_relu" => rc.leaky_relu(l.leak),
            "identity" => {}
            other => fail(&format!("unknown activation {other}")),
        }
    }
    rc.num_faces()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 6 { fail("usage: regioncam-bench MODEL.json XMIN XMAX YMIN YMAX [REPEATS]"); }
    let layers = read_model(&args[1]);
    let num = |i: usize| args[i].parse::<f32>().unwrap_or_else(|_| fail(&format!("not a number: {}", args[i])));
    let bx = [num(2), num(3), num(4), num(5)];
    let repeats: usize = args.get(6).map_or(1, |r| r.parse().unwrap_or_else(|_| fail("REPEATS: not a number")));
    for _ in 0..repeats {
        let t0 = Instant::now();
        let regions = partition(&layers, bx);
        println!("regions={regions} seconds={:.6}", t0.elapsed().as_secs_f64());
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:")) {
        println!("peak_rss_kib={}", line.split_whitespace().nth(1).unwrap_or("0"));
    }
    // fields 14 and 15 (utime, stime) in clock ticks, counted after the ")" that ends the command name
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    if let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) {
        let f: Vec<&str> = rest.split_whitespace().collect();
        if f.len() > 12 {
            let ticks: f64 = f[11].parse::<f64>().unwrap_or(0.0) + f[12].parse::<f64>().unwrap_or(0.0);
            println!("cpu_seconds={:.2}", ticks / CLOCK_TICKS_PER_SECOND);
        }
    }
}
