//! Parameter import/export in neural-tangents' layout: per-layer views, a
//! bit-for-bit round trip, and networks initialised by neural-tangents 0.6.5
//! in JAX (`scripts/gen_finite.py` → `tests/data/nt_finite.json`) whose
//! outputs the imported parameters reproduce.

use ntk::finite::FiniteNetwork;
use ntk::{Activation, Error, Network};
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde_json::Value;

#[path = "common/nt_fixture.rs"]
mod nt_fixture;
use nt_fixture::{network, rows};

fn relu(depth: usize) -> Network<f64> {
    Network::new(depth, Activation::Relu)
        .unwrap()
        .with_std(1.5, Some(0.1))
        .unwrap()
}

/// d = 2, w = 3, L = 1 with θ = 0, 1, 2, …: the exported order by hand.
#[test]
fn export_is_the_transpose_per_layer_in_serial_order() {
    let fnet = FiniteNetwork::new(relu(1), 2, 3).unwrap();
    assert_eq!(fnet.param_len(), 13);
    let params: Vec<f64> = (0..13).map(f64::from).collect();
    let mut nt = vec![0.0; 13];
    fnet.export_nt(&params, &mut nt).unwrap();
    // Layer 0: this crate's W (3×2) = [[0,1],[2,3],[4,5]] → NT's W (2×3) =
    // [[0,2,4],[1,3,5]]; b = 6,7,8. Readout: W (1×3) = [9,10,11] → (3×1) the
    // same values; b = 12.
    let want = [0., 2., 4., 1., 3., 5., 6., 7., 8., 9., 10., 11., 12.];
    assert_eq!(nt, want);
    let l0 = fnet.layer_params(&params, 0).unwrap();
    assert_eq!((l0.fan_in, l0.fan_out), (2, 3));
    assert_eq!(l0.weight_nt(1, 2), Some(5.0)); // NT W[1][2]
    assert_eq!(l0.weight_nt(2, 0), None);
    assert_eq!(l0.bias, &[6.0, 7.0, 8.0]);
    let l1 = fnet.layer_params(&params, 1).unwrap();
    assert_eq!((l1.fan_in, l1.fan_out, l1.bias), (3, 1, &[12.0][..]));
    assert!(matches!(
        fnet.layer_params(&params, 2),
        Err(Error::IndexOutOfRange { index: 2, len: 2 })
    ));
}

/// Export then import reproduces every parameter and output bit for bit.
#[test]
fn round_trip_is_bit_for_bit() {
    for (net, d, w) in [
        (relu(3), 5, 17),
        (relu(1).with_standard_parameterization(&[9]).unwrap(), 4, 9),
        (
            Network::new(
                2,
                Activation::Erf {
                    a: 1.0,
                    b: 1.0,
                    c: 0.0,
                },
            )
            .unwrap(),
            1,
            6,
        ),
    ] {
        let fnet = FiniteNetwork::new(net, d, w).unwrap();
        let mut params = vec![0.0; fnet.param_len()];
        fnet.init(&mut params, &mut Xoshiro256PlusPlus::seed_from_u64(4))
            .unwrap();
        let (mut nt, mut back) = (
            vec![0.0; fnet.param_len()],
            vec![f64::NAN; fnet.param_len()],
        );
        fnet.export_nt(&params, &mut nt).unwrap();
        fnet.import_nt(&nt, &mut back).unwrap();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(&params));
        let x: Vec<f64> = (0..d).map(|i| 0.3 * i as f64 - 0.4).collect();
        let mut work = vec![0.0; fnet.workspace_len(1)];
        let f = fnet.forward(&params, &x, &mut work).unwrap();
        assert_eq!(
            fnet.forward(&back, &x, &mut work).unwrap().to_bits(),
            f.to_bits()
        );
    }
}

#[test]
fn import_errors_write_nothing() {
    let fnet = FiniteNetwork::new(relu(1), 2, 3).unwrap();
    let mut params = vec![7.0; 13];
    let mut nt = vec![1.0; 13];
    assert!(matches!(
        fnet.import_nt(&nt[..12], &mut params),
        Err(Error::BufferTooSmall { .. })
    ));
    nt[12] = f64::INFINITY;
    assert!(matches!(
        fnet.import_nt(&nt, &mut params),
        Err(Error::NonFinite { .. })
    ));
    assert_eq!(params, vec![7.0; 13]);
    assert!(matches!(
        fnet.export_nt(&params, &mut nt[..5]),
        Err(Error::BufferTooSmall { .. })
    ));
}

/// Networks initialised by neural-tangents (JAX, fixed keys, float64):
/// imported, they give stax's outputs to 1e-13 relative (summation order),
/// on a generic, an antiparallel, a zero and a 1000× input; and exporting
/// the imported parameters gives back stax's flat parameters bit for bit.
#[test]
fn imported_jax_networks_reproduce_stax_outputs() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/nt_finite.json");
    let data: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = data["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    let mut worst = 0.0f64;
    for case in cases {
        let d = case["dim"].as_u64().unwrap() as usize;
        let width = case["width"].as_u64().unwrap() as usize;
        let fnet = FiniteNetwork::new(network(case), d, width).unwrap();
        let nt: Vec<f64> = case["params_nt"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert_eq!(nt.len(), fnet.param_len(), "{}", case["net"]);
        let mut params = vec![0.0; fnet.param_len()];
        fnet.import_nt(&nt, &mut params).unwrap();
        let mut again = vec![0.0; nt.len()];
        fnet.export_nt(&params, &mut again).unwrap();
        assert_eq!(again, nt);
        let mut work = vec![0.0; fnet.workspace_len(1)];
        let xs = rows(&case["x"]);
        let fs = case["f"].as_array().unwrap();
        let scale = fs
            .iter()
            .map(|f| f.as_f64().unwrap().abs())
            .fold(0.0, f64::max);
        for (x, f) in xs.chunks(d).zip(fs) {
            let (got, want) = (
                fnet.forward(&params, x, &mut work).unwrap(),
                f.as_f64().unwrap(),
            );
            let e = (got - want).abs() / want.abs().max(1e-3 * scale);
            assert!(e <= 1e-13, "{}: {got} vs {want} ({e:e})", case["net"]);
            worst = worst.max(e);
        }
    }
    println!("worst relative error vs stax apply_fn: {worst:.1e}");
}
