//! The `dupmap` binary: a thin layer over the library (see `src/cli/`).

mod cli;

#[global_allocator]
static ALLOCATOR: alloc::Populating = alloc::Populating;

fn main() -> std::process::ExitCode {
    cli::main()
}

mod alloc {
    use std::alloc::{GlobalAlloc, Layout};

    /// The allocator underneath: jemalloc on x86-64 Linux (the `jemalloc` feature, on by
    /// default), the system's otherwise.
    ///
    /// With glibc's allocator, finishing the passage stage's pairs (whose vectors are
    /// allocated on one thread of the pool and often freed on another) scaled 1.3 to 1.6
    /// times on two threads, and after millions of freed fingerprint blocks its
    /// searches for free memory took over half of the end of the candidates step at a
    /// million documents. With jemalloc, at 100,000 documents: finishing 0.70 -> 0.45 s and the
    /// whole scan 7.59 -> 7.21 s wall at 2 threads, 13.58 -> 13.18 CPU s at 1 thread;
    /// peak memory 64 MB (1 thread) to 79 MB (2 threads) higher (docs/performance.md,
    /// round 16).
    #[cfg(all(feature = "jemalloc", target_os = "linux", target_arch = "x86_64"))]
    use tikv_jemallocator::Jemalloc as Base;

    #[cfg(not(all(feature = "jemalloc", target_os = "linux", target_arch = "x86_64")))]
    use std::alloc::System as Base;

    /// The base allocator, except that a large zeroed block is made resident for
    /// writing as it is allocated.
    ///
    /// A large zeroed block comes fresh from the kernel, and its pages are mapped on
    /// first touch. Counting tables (segment counts while sketching, the boilerplate
    /// count) read a counter before they write it: the read maps the shared zero page,
    /// and the write then takes a second fault, which replaces that page and, once two
    /// threads run, flushes the other core's TLB through an interrupt. Populating the
    /// block for writing at once maps each page a single time, without the interrupts.
    pub struct Populating;

    /// Zeroed blocks from this size on are populated.
    const POPULATE_BYTES: usize = 1 << 20;

    // SAFETY: every call is passed on to `Base` unchanged; `populate` only asks the
    // kernel to map pages of the block just allocated, whose contents it keeps.
    unsafe impl GlobalAlloc for Populating {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            Base.alloc(layout)
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            let block = Base.alloc_zeroed(layout);
            if !block.is_null() && layout.size() >= POPULATE_BYTES {
                populate(block, layout.size());
            }
            block
        }

        unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
            Base.dealloc(block, layout)
        }

        unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            Base.realloc(block, layout, new_size)
        }
    }

    /// Maps the whole pages of `block[..len]` for writing (`MADV_POPULATE_WRITE`, Linux
    /// 5.14 and later; on older kernels the call fails and nothing changes).
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    fn populate(block: *mut u8, len: usize) {
        extern "C" {
            fn madvise(addr: *mut std::ffi::c_void, len: usize, advice: std::ffi::c_int) -> std::ffi::c_int;
        }
        const MADV_POPULATE_WRITE: std::ffi::c_int = 23;
        const PAGE: usize = 4096;
        let start = (block as usize).next_multiple_of(PAGE);
        let end = (block as usize + len) / PAGE * PAGE;
        if end > start {
            // SAFETY: the range lies within the block just allocated; populating keeps
            // its contents (zeros). A failure leaves the pages to be mapped on first touch.
            unsafe {
                madvise(start as *mut std::ffi::c_void, end - start, MADV_POPULATE_WRITE);
            }
        }
    }

    #[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
    fn populate(_block: *mut u8, _len: usize) {}
}
