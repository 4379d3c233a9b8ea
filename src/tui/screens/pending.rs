//! Screens being built this session: the title only.

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders};
use ratatui::Frame;

use super::{Ctx, Outcome, Screen, ScreenId, View};
use crate::tui::keys::Hint;

pub struct Pending(pub ScreenId);

impl Screen for Pending {
    fn id(&self) -> ScreenId {
        self.0
    }
    fn hints(&self) -> Vec<Hint> {
        Vec::new()
    }
    fn activate(&mut self, _ctx: &mut Ctx) {}
    fn key(&mut self, _ev: &KeyEvent, _ctx: &mut Ctx) -> Outcome {
        Outcome::Ignored
    }
    fn render(&mut self, frame: &mut Frame, area: Rect, view: &View) {
        frame.render_widget(Block::default().borders(Borders::ALL).title(self.0.title(view.lang)), area);
    }
}
