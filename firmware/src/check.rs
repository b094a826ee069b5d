//! One result line per check over semihosting; the verdict is QEMU's exit status.

use crate::board::hprintln;
use core::fmt::Arguments;

/// Counts checks and failures and prints each result.
#[derive(Default)]
pub struct Checker {
    total: u32,
    failed: u32,
}

impl Checker {
    /// Records one check: `ok  name detail` or `FAIL name detail`.
    pub fn check(&mut self, ok: bool, name: Arguments, detail: Arguments) {
        self.total += 1;
        self.failed += u32::from(!ok);
        hprintln!(
            "{} {:<40} {}",
            if ok { "ok  " } else { "FAIL" },
            name,
            detail
        );
    }

    /// |got − want| ≤ tol·scale, both finite.
    pub fn close(&mut self, name: Arguments, got: f64, want: f64, tol: f64, scale: f64) {
        let err = (got - want).abs();
        let ok = got.is_finite() && err <= tol * scale;
        self.check(
            ok,
            name,
            format_args!(
                "got {got:.9e} want {want:.9e} |err|/scale {:.1e}",
                err / scale
            ),
        );
    }

    /// Prints the summary and ends the QEMU run: exit status 0 iff no check failed.
    pub fn finish(self) -> ! {
        let passed = self.total - self.failed;
        hprintln!("firmware: {} passed, {} failed", passed, self.failed);
        crate::board::exit(self.failed == 0 && self.total > 0)
    }
}
