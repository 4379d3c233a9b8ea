//! Synthetic demo banks. TEMPORARY: the generator is being written by
//! another engineer and replaces this whole file.

pub struct DemoOptions {
    pub families: usize,
    pub needs: usize,
    pub seed: u64,
    pub admin_user: String,
    pub now: time::OffsetDateTime,
}

pub fn generate(_opts: &DemoOptions) -> Vec<crate::bank::ExportLine> {
    vec![crate::bank::ExportLine::header()]
}

pub fn generate_lines(opts: &DemoOptions) -> Vec<String> {
    generate(opts).iter().map(|l| l.to_json()).collect()
}
