//! `banca service|operator|ambit …`: the directory, written by administrators.

use clap::{Args, Subcommand};

use crate::api::{Reply, Request, Revised};
use crate::i18n::catalogue;
use crate::model::*;
use crate::present::{self, lists};

use super::family::saved;
use super::parse::{service_code, split_list, FlagErrors};
use super::session::{print_json, unexpected, CliResult, Session};
use super::table::StreamTable;

#[derive(Subcommand, Debug)]
pub enum ServiceCommand {
    /// Registra un servizio affido, un'associazione o un servizio d'accoglienza (amministratori)
    Add(ServiceFields),
    /// Modifica un servizio
    Edit {
        code: String,
        #[arg(long, allow_negative_numbers = true, value_parser = crate::cli::parse::whole::<u64>)]
        revision: Option<u64>,
        #[command(flatten)]
        fields: ServiceFields,
    },
    Show {
        code: String,
    },
    List,
    /// Un servizio d'accoglienza dichiara i suoi posti liberi (i suoi operatori, il coordinamento)
    #[command(after_help = "Esempio: banca service vacancies S-041 --places 2 --note \"solo ragazzi 14-17\"")]
    Vacancies {
        #[arg(value_name = "SERVIZIO")]
        code: String,
        /// Posti liberi ora
        #[arg(long, value_name = "N")]
        places: String,
        /// Giorno della dichiarazione (GG/MM/AAAA; senza: oggi)
        #[arg(long, value_name = "DATA")]
        date: Option<String>,
        /// Nota, es. "dal 10/12 solo maschi"
        #[arg(long, value_name = "TESTO")]
        note: Option<String>,
    },
}

#[derive(Args, Debug, Default)]
pub struct ServiceFields {
    /// Nome del servizio
    #[arg(long)]
    name: Option<String>,
    /// ambito, interdistrettuale, associazione; servizi d'accoglienza: comunita_alloggio,
    /// comunita_educativa, comunita_familiare, comunita_mamma_bambino, pronto_intervento,
    /// alloggio_autonomia, centro_diurno, rete_famiglie
    #[arg(long)]
    kind: Option<String>,
    /// Ambiti coperti, separati da virgole
    #[arg(long)]
    ambits: Option<String>,
    #[arg(long)]
    address: Option<String>,
    /// Telefono del servizio (chi chiamare)
    #[arg(long)]
    phone: Option<String>,
    /// E-mail del servizio
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    notes: Option<String>,
    /// Attivo: sì/no
    #[arg(long, value_name = "SÌ/NO")]
    active: Option<String>,
    /// Reperibilità fuori orario: chi risponde (nome e cognome)
    #[arg(long, value_name = "NOME")]
    on_call_name: Option<String>,
    /// Reperibilità fuori orario: il telefono
    #[arg(long, value_name = "TELEFONO")]
    on_call_phone: Option<String>,
    /// Reperibilità fuori orario: quando, es. "lun-ven 17-9, festivi 24h" (tutti e tre "" per toglierla)
    #[arg(long, value_name = "ORARI")]
    on_call_hours: Option<String>,
    /// Servizio d'accoglienza: comune della struttura (nome o codice ISTAT)
    #[arg(long, value_name = "COMUNE")]
    comune: Option<String>,
    /// Servizio d'accoglienza: ente gestore
    #[arg(long, value_name = "NOME")]
    managing_body: Option<String>,
    /// Natura dell'ente: ipab, cooperativa_sociale, associazione, ente_religioso, fondazione, ente_pubblico
    #[arg(long, value_name = "NATURA")]
    legal_nature: Option<String>,
    /// Autorizzazione al funzionamento: numero
    #[arg(long, value_name = "NUMERO")]
    licence_number: Option<String>,
    /// Autorizzazione al funzionamento: data (gg/mm/aaaa)
    #[arg(long, value_name = "DATA")]
    licence_date: Option<String>,
    /// Autorizzazione al funzionamento: autorità che l'ha rilasciata
    #[arg(long, value_name = "AUTORITÀ")]
    licence_authority: Option<String>,
    /// Posti autorizzati
    #[arg(long, value_name = "N")]
    licensed_places: Option<String>,
    /// Referente della struttura
    #[arg(long, value_name = "NOME")]
    referent: Option<String>,
    /// Età accolte, es. 14-17, 0-36m, 16-21 (senza: 0-17)
    #[arg(long, value_name = "ETÀ")]
    ages: Option<String>,
    /// Sesso accolto: indifferente, femmine, maschi
    #[arg(long, value_name = "SESSO")]
    sex_taken: Option<String>,
    /// Attrezzato per (virgole): madre_bambino, disabilita, fragilita_psichiatrica, msna, adolescenti, oltre_18
    #[arg(long, value_name = "ELENCO")]
    equipped: Option<String>,
    /// Lingue parlate, separate da virgole
    #[arg(long, value_name = "LINGUE")]
    languages: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum OperatorCommand {
    /// Aggiunge un operatore: il suo nome utente Unix (amministratori)
    Add {
        /// Nome utente Unix (oppure --unix-user)
        #[arg(required_unless_present = "unix_user", conflicts_with = "unix_user")]
        user: Option<String>,
        /// Nome utente Unix dell'operatore
        #[arg(long)]
        unix_user: Option<String>,
        #[command(flatten)]
        fields: OperatorFields,
    },
    /// Modifica un operatore (ruolo, servizio, attivo)
    Edit {
        user: String,
        #[arg(long, allow_negative_numbers = true, value_parser = crate::cli::parse::whole::<u64>)]
        revision: Option<u64>,
        #[command(flatten)]
        fields: OperatorFields,
    },
    Show {
        user: String,
    },
    List {
        #[arg(long)]
        service: Option<String>,
    },
}

#[derive(Args, Debug, Default)]
pub struct OperatorFields {
    /// Nome e cognome
    #[arg(long)]
    name: Option<String>,
    /// amministratore, coordinamento, operatore, lettore
    #[arg(long)]
    role: Option<String>,
    /// Servizio (operatori; "" per nessuno)
    #[arg(long)]
    service: Option<String>,
    /// Attivo: sì/no
    #[arg(long, value_name = "SÌ/NO")]
    active: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum AmbitCommand {
    /// Registra un ambito territoriale (amministratori)
    Add {
        name: String,
        #[command(flatten)]
        fields: AmbitFields,
    },
    /// Modifica un ambito
    Edit {
        name: String,
        #[arg(long, allow_negative_numbers = true, value_parser = crate::cli::parse::whole::<u64>)]
        revision: Option<u64>,
        #[command(flatten)]
        fields: AmbitFields,
    },
    /// Mostra un ambito: i suoi comuni e i suoi presidi (i nomi da usare con --district e --ambit)
    Show { name: String },
    /// Elenca gli ambiti registrati
    List,
}

#[derive(Args, Debug, Default)]
pub struct AmbitFields {
    /// Comuni dell'ambito, separati da virgole (nomi o codici ISTAT)
    #[arg(long)]
    comuni: Option<String>,
    /// Presidio "Nome:comune,comune" (ripetibile; in modifica sostituisce tutti)
    #[arg(long = "district", value_name = "NOME:COMUNI")]
    districts: Vec<String>,
}

pub fn run_service(s: &Session, c: ServiceCommand) -> CliResult {
    match c {
        ServiceCommand::Add(fields) => {
            let mut input = ServiceInput {
                name: String::new(),
                kind: ServiceKind::Ambit,
                ambits: vec![],
                address: String::new(),
                phone: String::new(),
                email: String::new(),
                notes: String::new(),
                active: true,
                on_call: None,
                reception: None,
            };
            let mut errs = FlagErrors::new(s.lang);
            fields.apply(&mut input, &mut errs);
            errs.finish()?;
            saved(s, s.call(Request::ServiceCreate { input })?)
        }
        ServiceCommand::Edit { code, revision, fields } => {
            let code = service_code(&code, s.lang)?;
            let current = match s.call(Request::ServiceGet { code })? {
                Reply::Service(r) => r,
                other => return Err(unexpected(other)),
            };
            let mut input = current.record.details.clone();
            let mut errs = FlagErrors::new(s.lang);
            fields.apply(&mut input, &mut errs);
            errs.finish()?;
            let base_revision = revision.unwrap_or(current.revision);
            saved(s, s.call(Request::ServiceUpdate { code, base_revision, input })?)
        }
        ServiceCommand::Show { code } => show_service(s, &code),
        ServiceCommand::Vacancies { code, places, date, note } => {
            let code = service_code(&code, s.lang)?;
            let mut errs = FlagErrors::new(s.lang);
            let places = errs.number::<u16>("places", &places);
            let declared_on = match date {
                Some(d) => errs.date("date", &d),
                None => Some(super::parse::today()),
            };
            errs.finish()?;
            let (Some(places), Some(declared_on)) = (places, declared_on) else { return Ok(()) };
            let input = VacancyInput { places, declared_on, note: note.unwrap_or_default().trim().to_string() };
            saved(s, s.call(Request::VacancyDeclare { service: code, input })?)
        }
        ServiceCommand::List => {
            let header = lists::service_header(s.lang);
            let row = |r: &Revised<Service>| lists::service_row(r, s.lang);
            let items = |reply| match reply {
                Reply::Services(page) => Ok(page),
                other => Err(unexpected(other)),
            };
            let rows = s.stream_list(Request::ServiceList { after: None, limit: None }, &header, None, items, row)?;
            end_list(rows, &header)
        }
    }
}

/// `service show`: a service, its details and its operators.
pub(super) fn show_service(s: &Session, code: &str) -> CliResult {
    let code = service_code(code, s.lang)?;
    let r = match s.call(Request::ServiceGet { code })? {
        Reply::Service(r) => r,
        other => return Err(unexpected(other)),
    };
    if s.json {
        return print_json(&r);
    }
    // A service's operators, on one line: a few, every page kept.
    let mut names: Vec<String> = Vec::new();
    let request = Request::OperatorList { service: Some(r.record.code), after: None, limit: None };
    s.pages(request, |reply| {
        if let Reply::Operators(ops) = reply {
            names.extend(ops.iter().map(|o| format!("{} ({})", o.record.details.display_name, o.record.user)));
        }
        Ok(true)
    })?;
    super::print::print(&present::service(&r, &names, s.lang));
    Ok(())
}

catalogue!(
    /// The directory commands' own words.
    DirectoryWords {
        RequiredForReception => "obbligatorio per un servizio d'accoglienza", "required for a reception service";
        OnlyReception => "vale solo per un servizio d'accoglienza (--kind comunita_alloggio, pronto_intervento, …)",
            "applies to a reception service only (--kind residential_community, emergency_shelter, …)";
        AgesEg => "scrivere ad es. 14-17, 0-36m, 16-21", "write e.g. 14-17, 0-36m, 16-21";
    }
);

impl ServiceFields {
    fn apply(mut self, input: &mut ServiceInput, errs: &mut FlagErrors) {
        let lang = errs.lang();
        if let Some(v) = self.name.take() {
            input.name = v.trim().to_string();
        }
        if let Some(v) = self.kind.take() {
            if let Some(k) = errs.term("kind", &v, ServiceKind::parse, ServiceKind::choices(lang)) {
                input.kind = k;
            }
        }
        if let Some(v) = self.ambits.take() {
            input.ambits = split_list(&v);
        }
        for (slot, value) in [
            (&mut input.address, self.address.take()),
            (&mut input.phone, self.phone.take()),
            (&mut input.email, self.email.take()),
            (&mut input.notes, self.notes.take()),
        ] {
            if let Some(v) = value {
                *slot = v.trim().to_string();
            }
        }
        if let Some(v) = self.active.take() {
            if let Some(b) = errs.yes_no("active", &v) {
                input.active = b;
            }
        }
        if self.on_call_name.is_some() || self.on_call_phone.is_some() || self.on_call_hours.is_some() {
            let mut c = input.on_call.take().unwrap_or(OnCall {
                name: String::new(),
                phone: String::new(),
                hours: String::new(),
            });
            for (slot, value) in [
                (&mut c.name, self.on_call_name.take()),
                (&mut c.phone, self.on_call_phone.take()),
                (&mut c.hours, self.on_call_hours.take()),
            ] {
                if let Some(v) = value {
                    *slot = v.trim().to_string();
                }
            }
            // All three empty: the service has no on-call contact.
            input.on_call = Some(c).filter(|c| !(c.name.is_empty() && c.phone.is_empty() && c.hours.is_empty()));
        }
        self.apply_reception(input, errs);
    }

    /// A reception service's profile: started when the kind is one (with
    /// its comune), dropped when the kind no longer is.
    fn apply_reception(&mut self, input: &mut ServiceInput, errs: &mut FlagErrors) {
        let lang = errs.lang();
        let given = [
            ("comune", self.comune.is_some()),
            ("managing-body", self.managing_body.is_some()),
            ("legal-nature", self.legal_nature.is_some()),
            ("licence-number", self.licence_number.is_some()),
            ("licence-date", self.licence_date.is_some()),
            ("licence-authority", self.licence_authority.is_some()),
            ("licensed-places", self.licensed_places.is_some()),
            ("referent", self.referent.is_some()),
            ("ages", self.ages.is_some()),
            ("sex-taken", self.sex_taken.is_some()),
            ("equipped", self.equipped.is_some()),
            ("languages", self.languages.is_some()),
        ];
        if !input.kind.is_reception() {
            // A foster service or an association has no such facts: said, not dropped.
            for (flag, _) in given.iter().filter(|(_, g)| *g) {
                errs.push(flag, DirectoryWords::OnlyReception.get(lang));
            }
            input.reception = None;
            return;
        }
        let comune = self.comune.take().and_then(|v| errs.comune("comune", &v));
        let mut r = match input.reception.take() {
            Some(r) => r,
            None => {
                // A new reception service: what it is, not guessed.
                for flag in ["comune", "managing-body", "legal-nature", "licensed-places"] {
                    if !given.iter().any(|(f, g)| *f == flag && *g) {
                        errs.push(flag, DirectoryWords::RequiredForReception.get(lang));
                    }
                }
                let Some(c) = comune else { return };
                ReceptionProfile::new(c, 1)
            }
        };
        if let Some(c) = comune {
            r.comune = c;
        }
        if let Some(v) = self.managing_body.take() {
            r.managing_body.name = v.trim().to_string();
        }
        if let Some(v) = self.legal_nature.take() {
            if let Some(n) = errs.term("legal-nature", &v, LegalNature::parse, LegalNature::choices(lang)) {
                r.managing_body.nature = n;
            }
        }
        if let Some(v) = self.licence_number.take() {
            r.licence.number = v.trim().to_string();
        }
        if let Some(v) = self.licence_authority.take() {
            r.licence.authority = v.trim().to_string();
        }
        if let Some(v) = self.licence_date.take() {
            if let Some(d) = errs.opt_date("licence-date", &v) {
                r.licence.date = d;
            }
        }
        if let Some(v) = self.licensed_places.take() {
            if let Some(n) = errs.number::<u16>("licensed-places", &v) {
                r.licence.places = n;
            }
        }
        if let Some(v) = self.referent.take() {
            r.referent = v.trim().to_string();
        }
        if let Some(v) = self.ages.take() {
            match AgeRange::parse(&v) {
                Some(a) => r.ages = a,
                None => {
                    errs.push("ages", format!("«{}»: {}", super::parse::echoed(&v), DirectoryWords::AgesEg.get(lang)))
                }
            }
        }
        if let Some(v) = self.sex_taken.take() {
            if let Some(x) = errs.term("sex-taken", &v, SexPreference::parse, SexPreference::choices(lang)) {
                r.sex = x;
            }
        }
        if let Some(v) = self.equipped.take() {
            if let Some(e) = errs.terms("equipped", &v, Equipment::parse, Equipment::choices(lang)) {
                r.equipment = e;
            }
        }
        if let Some(v) = self.languages.take() {
            r.languages = split_list(&v);
        }
        input.reception = Some(r);
    }
}

pub fn run_operator(s: &Session, c: OperatorCommand) -> CliResult {
    match c {
        OperatorCommand::Add { user, unix_user, fields } => {
            let user = user.or(unix_user).unwrap_or_default();
            let mut input =
                OperatorInput { display_name: String::new(), role: Role::Operator, service: None, active: true };
            let mut errs = FlagErrors::new(s.lang);
            fields.apply(&mut input, &mut errs);
            errs.finish()?;
            saved(s, s.call(Request::OperatorCreate { user: user.trim().to_string(), input })?)
        }
        OperatorCommand::Edit { user, revision, fields } => {
            let current = match s.call(Request::OperatorGet { user: user.clone() })? {
                Reply::Operator(r) => r,
                other => return Err(unexpected(other)),
            };
            let mut input = current.record.details.clone();
            let mut errs = FlagErrors::new(s.lang);
            fields.apply(&mut input, &mut errs);
            errs.finish()?;
            let base_revision = revision.unwrap_or(current.revision);
            saved(s, s.call(Request::OperatorUpdate { user, base_revision, input })?)
        }
        OperatorCommand::Show { user } => match s.call(Request::OperatorGet { user })? {
            Reply::Operator(r) => print_operator(s, &r),
            other => Err(unexpected(other)),
        },
        OperatorCommand::List { service } => {
            let service = service.map(|c| service_code(&c, s.lang)).transpose()?;
            let header = lists::operator_header(s.lang);
            let row = |r: &Revised<Operator>| lists::operator_row(r, s.lang);
            let items = |reply| match reply {
                Reply::Operators(page) => Ok(page),
                other => Err(unexpected(other)),
            };
            let request = Request::OperatorList { service, after: None, limit: None };
            let rows = s.stream_list(request, &header, None, items, row)?;
            end_list(rows, &header)
        }
    }
}

/// `operator show`, of a record already read.
pub(super) fn print_operator(s: &Session, r: &Revised<Operator>) -> CliResult {
    if s.json {
        return print_json(r);
    }
    super::print::print(&present::operator(r, s.lang));
    Ok(())
}

impl OperatorFields {
    fn apply(self, input: &mut OperatorInput, errs: &mut FlagErrors) {
        let lang = errs.lang();
        if let Some(v) = self.name {
            input.display_name = v.trim().to_string();
        }
        if let Some(v) = self.role {
            if let Some(r) = errs.term("role", &v, Role::parse, Role::choices(lang)) {
                input.role = r;
            }
        }
        if let Some(v) = self.service {
            input.service = if v.trim().is_empty() { None } else { errs.service("service", &v) };
        }
        if let Some(v) = self.active {
            if let Some(b) = errs.yes_no("active", &v) {
                input.active = b;
            }
        }
    }
}

pub fn run_ambit(s: &Session, c: AmbitCommand) -> CliResult {
    match c {
        AmbitCommand::Add { name, fields } => {
            let mut input = AmbitInput { name: name.trim().to_string(), comuni: vec![], districts: vec![] };
            let mut errs = FlagErrors::new(s.lang);
            fields.apply(&mut input, &mut errs);
            errs.finish()?;
            saved(s, s.call(Request::AmbitSave { input, base_revision: None })?)
        }
        AmbitCommand::Edit { name, revision, fields } => {
            let current = match s.call(Request::AmbitGet { name })? {
                Reply::Ambit(r) => r,
                other => return Err(unexpected(other)),
            };
            let mut input = current.record.details.clone();
            let mut errs = FlagErrors::new(s.lang);
            fields.apply(&mut input, &mut errs);
            errs.finish()?;
            let base = revision.unwrap_or(current.revision);
            saved(s, s.call(Request::AmbitSave { input, base_revision: Some(base) })?)
        }
        AmbitCommand::Show { name } => match s.call(Request::AmbitGet { name })? {
            Reply::Ambit(r) => print_ambit(s, &r),
            other => Err(unexpected(other)),
        },
        AmbitCommand::List => {
            let header = lists::ambit_header(s.lang);
            let row = |r: &Revised<Ambit>| lists::ambit_row(r);
            let items = |reply| match reply {
                Reply::Ambits(page) => Ok(page),
                other => Err(unexpected(other)),
            };
            let rows = s.stream_list(Request::AmbitList { after: None, limit: None }, &header, None, items, row)?;
            end_list(rows, &header)
        }
    }
}

/// `ambit show`, of a record already read.
pub(super) fn print_ambit(s: &Session, r: &Revised<Ambit>) -> CliResult {
    if s.json {
        return print_json(r);
    }
    super::print::print(&present::ambit(r, s.lang));
    Ok(())
}

impl AmbitFields {
    fn apply(self, input: &mut AmbitInput, errs: &mut FlagErrors) {
        if let Some(v) = self.comuni {
            input.comuni = split_list(&v).iter().filter_map(|c| errs.comune("comuni", c)).collect();
        }
        if !self.districts.is_empty() {
            input.districts = Vec::new();
            for d in &self.districts {
                let (name, list) = d.split_once(':').unwrap_or((d, ""));
                let comuni = split_list(list).iter().filter_map(|c| errs.comune("district", c)).collect();
                input.districts.push(District { name: name.trim().to_string(), comuni });
            }
        }
    }
}

/// The end of a streamed directory list: the JSON array closed, or the
/// header alone when there were no rows (as an empty table prints).
/// An empty table shows its header alone (as before lists came in pages).
pub(super) fn end_list(rows: Option<usize>, header: &[&str]) -> CliResult {
    if rows == Some(0) {
        StreamTable::new(header).print_header();
    }
    Ok(())
}
