//! Properties over generated specs (proptest), with a bounded case count.
