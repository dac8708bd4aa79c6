//! Acting on connections and running `:` commands: each turns into engine commands (as
//! effects) plus a status line saying what was asked.

use super::{App, CopyTarget, Mode, Overlay, Selection, Source};
use crate::event::{Address, Command, ConnId, FaultSet, How, SockOption};
use crate::tui::command::{DEFAULT_RECV, UiCommand};
use crate::tui::keymap::Action;
use crate::tui::model;
use crate::tui::msg::{Effect, Purpose};
use crate::tui::timeline::PlayerCommand;
use bytes::Bytes;

impl App {
    /// Keys that act on the selected connection or on the engine.
    pub(super) fn perform_on_connection(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::ShutdownWrite => self.ask_to_shut_down(How::Write),
            Action::ShutdownRead => self.ask_to_shut_down(How::Read),
            Action::ShutdownBoth => self.ask_to_shut_down(How::Both),
            Action::Close => self.execute(UiCommand::Close),
            Action::ToggleNoDelay => match self.selected_or_complain() {
                Some(conn) => {
                    let on = !self.has_nodelay(conn);
                    self.execute(UiCommand::SetOption(SockOption::NoDelay(on)))
                }
                None => Vec::new(),
            },
            Action::TogglePauseReading => match self.selected_or_complain() {
                Some(conn) => self.execute(UiCommand::PauseReading(!self.is_paused(conn))),
                None => Vec::new(),
            },
            Action::ToggleManual => self.execute(UiCommand::SetManual(self.mode == Mode::Auto)),
            Action::SendQueued => self.execute(UiCommand::SendQueued),
            Action::Accept => self.execute(UiCommand::Accept),
            Action::Step => self.execute(UiCommand::Step),
            _ => Vec::new(),
        }
    }

    /// A shutdown key asks first: it cannot be taken back, and its keys are ones a reader may
    /// press by habit. (`:shutdown` is typed on purpose and does not ask.)
    fn ask_to_shut_down(&mut self, how: How) -> Vec<Effect> {
        if let Some(conn) = self.selected_or_complain() {
            self.overlay = Overlay::Confirm(super::Confirm::Shutdown(conn, how));
        }
        Vec::new()
    }

    /// `shutdown(how)` on `conn`, as confirmed.
    pub(super) fn shut_down(conn: ConnId, how: How) -> Vec<Effect> {
        engine(Command::Shutdown { conn, how })
    }

    /// Runs a `:` command (keys reuse this too, so both say the same things).
    pub fn execute(&mut self, command: UiCommand) -> Vec<Effect> {
        if let Some(player) = Self::player_command(self.source, &command) {
            return self.command_player(player);
        }
        let watching = matches!(self.source, Source::Replay | Source::Trace);
        if watching && !matches!(command, UiCommand::Select(_)) {
            if matches!(
                command,
                UiCommand::Help
                    | UiCommand::Follow
                    | UiCommand::Layer(_)
                    | UiCommand::Quit
                    | UiCommand::Framing { .. }
                    | UiCommand::Copy { .. }
                    | UiCommand::WhyNotes(_)
                    | UiCommand::Sort(_)
                    | UiCommand::Filter(_)
            ) {
                return self.execute_local(command);
            }
            self.set_error(match self.source {
                Source::Trace => super::tracing::NOT_ON_A_TRACED_PROGRAM,
                Source::Live | Source::Replay => {
                    "a replay has no sockets: only :seek, :speed, :play, :pause, :framing, \
                     :select, :sort, :filter, :copy, :why, :follow, :layer, :help and :quit apply"
                }
            });
            return Vec::new();
        }
        match command {
            UiCommand::Listen(text) => vec![Effect::Resolve { purpose: Purpose::Listen, text }],
            UiCommand::Connect(text) => vec![Effect::Resolve { purpose: Purpose::Connect, text }],
            UiCommand::Proxy { listen, upstream } => {
                vec![Effect::Resolve { purpose: Purpose::ProxyListen { upstream }, text: listen }]
            }
            // Not `on_selected`: a flow's send is its own, to its peer.
            UiCommand::Send(bytes) => match self.selected_or_complain() {
                Some(conn) => self.send_to(conn, bytes),
                None => Vec::new(),
            },
            UiCommand::SendTo(text) => match self.selected_or_complain() {
                Some(conn) => self.change_destination(conn, &text),
                None => Vec::new(),
            },
            UiCommand::Shutdown(how) => self.on_selected(|_, conn| Self::shut_down(conn, how)),
            UiCommand::Close => self.on_selected(|_, conn| engine(Command::Close { conn })),
            UiCommand::Reset => self.on_selected(App::reset),
            UiCommand::SetOption(option) => {
                self.on_selected(|_, conn| engine(Command::SetOption { conn, option }))
            }
            UiCommand::PauseReading(paused) => self.on_selected(|app, conn| {
                if paused {
                    app.paused.insert(conn);
                    app.set_info(format!("{conn}: automatic reading paused (i resumes)"));
                } else {
                    app.paused.remove(&conn);
                    app.set_info(format!("{conn}: automatic reading resumed"));
                }
                engine(Command::PauseReading { conn, paused })
            }),
            UiCommand::SetManual(manual) => {
                self.mode = if manual { Mode::Manual } else { Mode::Auto };
                self.set_info(Self::mode_label(self.mode));
                engine(Command::SetManual(manual))
            }
            UiCommand::Fault(FaultSet { dir, faults }) => {
                self.on_selected(|_, conn| engine(Command::SetFaults { conn, dir, faults }))
            }
            UiCommand::Intercept { dirs, pattern } => self.intercept_selected(&dirs, pattern),
            UiCommand::Inject { dir, bytes } => self.inject_selected(dir, bytes),
            UiCommand::Recv(max) => self.on_selected(|app, conn| app.recv_on(conn, max)),
            UiCommand::SendQueued => {
                self.on_selected(|_, conn| engine(Command::SendQueued { conn }))
            }
            UiCommand::Accept => {
                let Some(listener) = self.listener_for_accept() else {
                    self.set_error("no listener to accept on (select one, or :listen ADDR)");
                    return Vec::new();
                };
                engine(Command::Accept { listener })
            }
            UiCommand::Step => engine(Command::Step),
            UiCommand::Record(Some(path)) => self.start_recording(path),
            UiCommand::Record(None) => self.stop_recording(),
            other => self.execute_local(other),
        }
    }

    /// Commands that change only the UI and the model, never a socket.
    /// The player command a `:` command means: the timeline's own, anywhere (outside a
    /// replay they are refused); `:pause` and `:resume` in a replay.
    fn player_command(source: Source, command: &UiCommand) -> Option<PlayerCommand> {
        Some(match command {
            UiCommand::Seek(target) => PlayerCommand::Seek(*target),
            UiCommand::Speed(speed) => PlayerCommand::SetSpeed(*speed),
            UiCommand::Play => PlayerCommand::Play,
            UiCommand::PauseReading(true) if source == Source::Replay => PlayerCommand::Pause,
            UiCommand::PauseReading(false) if source == Source::Replay => PlayerCommand::Play,
            _ => return None,
        })
    }

    fn execute_local(&mut self, command: UiCommand) -> Vec<Effect> {
        match command {
            UiCommand::Framing { spec, all } => {
                let target = if all { None } else { self.selected() };
                if !all && target.is_none() {
                    self.set_error("no connection selected (j/k, :select N, or :framing SPEC all)");
                    return Vec::new();
                }
                let scope =
                    target.map_or_else(|| "every connection".to_string(), |c| c.to_string());
                self.set_info(format!("framing {spec} for {scope}"));
                self.remember_framing(target, &spec);
                self.session.set_framing(target, spec);
            }
            UiCommand::Select(conn) => {
                if self.session.connection(conn).is_none() {
                    self.set_error(format!("no connection {conn}"));
                } else {
                    self.change_selection(Selection::Chosen(conn));
                    if !self.filter_shows(conn) {
                        self.set_info(format!("{conn} selected; the filter hides it in the list"));
                    }
                }
            }
            UiCommand::Sort(order) => self.set_connection_order(order),
            UiCommand::Filter(filter) => self.set_connection_filter(filter),
            UiCommand::Help => self.overlay = Overlay::Help { scroll: 0 },
            UiCommand::Follow => self.toggle_follow_view(),
            UiCommand::Layer(None) => self.toggle_layer(),
            UiCommand::Layer(Some(layer)) => self.set_layer(layer),
            UiCommand::Quit => return vec![Effect::Quit],
            UiCommand::WhyNotes(on) => {
                self.why_notes = on;
                self.set_info(if on { "why notes shown" } else { "why notes hidden" });
            }
            UiCommand::Copy { format, path } => {
                let target = path.map_or(CopyTarget::SendLine, |p| CopyTarget::File(p.into()));
                return self.copy_selection(format, target);
            }
            UiCommand::Demo(name) => return self.demo_command(name.as_deref()),
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn send_to(&mut self, conn: ConnId, bytes: Vec<u8>) -> Vec<Effect> {
        let bytes = match self.send_datagram(conn, bytes) {
            Ok(effects) => return effects,
            Err(bytes) => bytes,
        };
        let len = bytes.len();
        self.session.note_submitted(conn, len);
        let text = format!("{conn}: {len} bytes queued for sending");
        self.set_status(text, super::Level::Info, Some(super::About::Queued(conn)));
        engine(Command::Send { conn, data: Bytes::from(bytes) })
    }

    pub(super) fn recv_on(&mut self, conn: ConnId, max: usize) -> Vec<Effect> {
        if max != DEFAULT_RECV {
            let calls = self.session.connection(conn).map_or(0, |conn| conn.calls().total());
            let about = super::About::Recv { conn, calls };
            self.set_status(
                format!("{conn}: recv of at most {max} bytes"),
                super::Level::Info,
                Some(about),
            );
        }
        engine(Command::Recv { conn, max })
    }

    pub(super) fn reset(&mut self, conn: ConnId) -> Vec<Effect> {
        self.set_info(format!("{conn}: reset (linger 0, then close: the peer sees RST)"));
        engine(Command::Reset { conn })
    }

    /// The selected connection, or `None` after saying in the status line that there is none.
    pub(super) fn selected_or_complain(&mut self) -> Option<ConnId> {
        let selected = self.selected();
        if selected.is_none() {
            self.set_error("no connection selected (j/k or :select N; :listen or :connect first)");
        }
        selected
    }

    /// Acts on the selected connection; a datagram flow's row acts on its socket (a send on
    /// it is its own, to the flow's peer: see `datagram_send`).
    fn on_selected(&mut self, act: impl FnOnce(&mut Self, ConnId) -> Vec<Effect>) -> Vec<Effect> {
        match self.selected_or_complain() {
            Some(conn) => act(self, conn.socket()),
            None => Vec::new(),
        }
    }

    /// The selected connection if it is an open listener, else the first open listener.
    fn listener_for_accept(&self) -> Option<ConnId> {
        self.selected()
            .filter(|&conn| model::is_open_listener(&self.session, conn))
            .or_else(|| model::first_open_listener(&self.session))
    }

    /// An address typed in a command has been resolved: open the socket, or say why not.
    pub(super) fn finish_resolving(
        &mut self,
        purpose: Purpose,
        result: Result<Vec<Address>, String>,
    ) -> Vec<Effect> {
        if let Purpose::Destination { conn } = purpose {
            return self.finish_destination(conn, result);
        }
        let addresses = match result {
            Ok(addresses) => addresses,
            Err(message) => {
                self.set_error(message);
                return Vec::new();
            }
        };
        let Some(first) = addresses.first().cloned() else {
            self.set_error("the address resolves to nothing");
            return Vec::new();
        };
        match purpose {
            Purpose::Listen => engine(Command::Listen { addr: first }),
            Purpose::Connect => engine(Command::Connect { candidates: addresses }),
            Purpose::ProxyListen { upstream } => {
                vec![Effect::Resolve {
                    purpose: Purpose::ProxyUpstream { listen: first },
                    text: upstream,
                }]
            }
            Purpose::ProxyUpstream { listen } => {
                engine(Command::Proxy { listen, upstream: addresses })
            }
            // Finished above, before the general error handling.
            Purpose::Destination { .. } => Vec::new(),
        }
    }
}

fn engine(command: Command) -> Vec<Effect> {
    vec![Effect::Engine(command)]
}
