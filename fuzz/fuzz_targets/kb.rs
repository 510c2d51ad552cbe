//! Arbitrary text read as a knowledge-base file, strictly and leniently, then merged over the
//! starter knowledge base and checked for overlaps: no panic, and a lenient load keeps every
//! row a strict load keeps.
#![no_main]

use corroborate::KnowledgeBase;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let strict = KnowledgeBase::from_toml("fuzz.toml", text, false);
    let lenient = KnowledgeBase::from_toml("fuzz.toml", text, true);
    if let (Ok((strict, _)), Ok((lenient, _))) = (&strict, &lenient) {
        assert_eq!(strict.holdings().len(), lenient.holdings().len());
    }
    if let Ok((kb, _)) = lenient {
        let mut merged = KnowledgeBase::starter();
        merged.merge(kb);
        for h in merged.holdings() {
            assert!(merged.rows_named(&h.holder).any(|r| r == h));
        }
    }
});
