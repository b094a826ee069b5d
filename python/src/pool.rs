//! Thread pools for the `threads=` keyword: one rayon pool per thread count,
//! built on first use and kept (building a pool per call costs ~100 µs).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

static POOLS: Mutex<Option<HashMap<usize, Arc<ThreadPool>>>> = Mutex::new(None);

/// Where a computation runs: rayon's global pool (all cores) or a pool of
/// `threads` threads.
pub enum Threads {
    All,
    Pool(Arc<ThreadPool>),
}

impl Threads {
    /// `None` = all cores; `Some(0)` is a `ValueError`.
    pub fn new(threads: Option<usize>) -> PyResult<Self> {
        let Some(t) = threads else {
            return Ok(Threads::All);
        };
        if t == 0 {
            return Err(PyValueError::new_err("threads must be >= 1"));
        }
        let mut pools = POOLS.lock().unwrap_or_else(|p| p.into_inner());
        let pools = pools.get_or_insert_with(HashMap::new);
        if let Some(p) = pools.get(&t) {
            return Ok(Threads::Pool(p.clone()));
        }
        let pool = ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .map_err(|e| PyValueError::new_err(format!("thread pool: {e}")))?;
        let pool = Arc::new(pool);
        pools.insert(t, pool.clone());
        Ok(Threads::Pool(pool))
    }

    /// Runs `f` on these threads.
    pub fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        match self {
            Threads::All => f(),
            Threads::Pool(p) => p.install(f),
        }
    }

    /// The number of threads `f` would see.
    pub fn count(&self) -> usize {
        match self {
            Threads::All => rayon::current_num_threads(),
            Threads::Pool(p) => p.current_num_threads(),
        }
    }
}
