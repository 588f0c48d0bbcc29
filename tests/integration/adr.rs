//! `statewise adr` and `adr list`.

#[allow(unused_imports)]
use crate::util::Test;
