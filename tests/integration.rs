//! Integration tests: they run the real binary.
