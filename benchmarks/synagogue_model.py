"""The bundled synagogue scenario hand-written on plain SimPy, in its two baseline forms: lower bound and same outputs.

`SynagogueRun` plays `scenarios/library/synagogue-holiday-attack.yaml` (base variant, default decisions) as a
skilled SimPy user would code this one exercise: delays copied from the file by hand
(`benchmarks.synagogue_tables`), plain branches for who reacts to what, callbacks on timeouts (no process per
delay), and the engine's own trick for pools of units (a counter and a FIFO of callbacks: no event for a free
grant, none for a release nobody waits for). It plays the
threat's phases with pursuit and the exchange of fire at the cafe, calls with wrong numbers and busy lines, call
taking behind background work and its surge, dispatches with the ambulances staged until the scene is safe,
engagement and neutralisation, decisions at their deadlines, injects, milestones, objectives and harm.

- `play_same_output(seed)`: also makes the engine's records (a dict per record, same kinds and fields, `t` in
  milliseconds, appended to a list) and draws from the engine's per-entity streams (`Streams(seed)(entity)`, same
  entity names), rounding draws to the millisecond as the engine's samplers do.
- `play_lower_bound(seed)`: the flow only: one `random.Random(seed)` for every draw and no records. It shares the
  flow's code, so it still pays one `if self.keep` per record call site and an entity name per draw (a few percent
  of its time, which makes the lower bound a little slower than it could be).

The same-output run's records equal the engine's, in order (`tests/test_benchmark_engine.py` checks it on many
seeds), so it does the engine's work: the same SimPy events, draws, streams and records.
"""

from __future__ import annotations

import random
from functools import partial

from benchmarks.handwritten import Played, drive
from benchmarks.synagogue_tables import (
    BACKGROUND,
    CS_CALL_AFTER,
    DECISIONS,
    DECLARE_SAFE_AFTER,
    END_S,
    FACT_MILESTONES,
    INTAKE,
    LINES,
    OBJECTIVES,
    PUBLIC_CALL_AFTER,
    ROUTES,
    STAFF_CALL_AFTER,
    Delay,
    Line,
    Pool,
    Record,
    Rng,
)
from benchmarks.synagogue_world import RunState
from simulator.streams import Streams


class SynagogueRun(RunState):
    """One run of the synagogue scenario, hand-coded: messages and playbooks over `RunState`'s mechanisms."""

    def play(self) -> Played:
        """Play the run to the end; what it did."""
        if self.keep:
            self.record("RunStarted", scenario="synagogue-holiday-attack", variant=None, seed=self.seed)
        self.later(0.0, lambda: self.inject("inj-01", "community-security", None))
        self.later(2400.0, lambda: self.inject("inj-03", "crisis-cell", "press-request"))
        for stakeholder in BACKGROUND:
            self.background_rate[stakeholder] = BACKGROUND[stakeholder][0] / 3600.0
            self.next_background_job(stakeholder)
        self.start_phase(0)
        events = drive(self.env, END_S)
        self.env._now = END_S  # the engine moves the clock to the end after the last event
        harm = round(self.harm_now(), 3)
        if self.keep:
            self.record(
                "RunEnded", step=events, exact_t=END_S, harm=harm, milestones=dict(sorted(self.milestones.items())),
                ratings={objective[0]: self.rating(*objective[1:]) for objective in OBJECTIVES},
            )  # fmt: skip
        return Played(self.hops, events, self.milestones, harm)

    def rating(self, since: str, until: str, performed: float, some: float, major: float) -> str:
        """An objective's letter from the milestones it spans (as `simulator.evaluation` rates it at the end)."""
        start, end = self.milestones.get(since), self.milestones.get(until)
        if start is None or end is None or end < start:
            return "U"
        measured = round(end - start, 3)
        return next(
            (letter for letter, limit in (("P", performed), ("S", some), ("M", major)) if measured <= limit), "U"
        )

    # --- messages ---------------------------------------------------------------------------------------------

    def notify(
        self, sender: str, to: str, fact: str, stream: str, after: Delay = 0.0, alternative: tuple[str, float] = ("", 0)
    ) -> None:
        """Send `fact` after `after` (drawn now from `stream`), perhaps to the alternative receiver."""
        delay = self.sample(after, stream)
        if delay > 0:
            self.later(delay, lambda: self._notify(sender, to, fact, stream, alternative))
        else:
            self._notify(sender, to, fact, stream, alternative)

    def _notify(self, sender: str, to: str, fact: str, stream: str, alternative: tuple[str, float]) -> None:
        receiver = to
        if alternative[1] and self.rng(stream).random() < alternative[1]:
            receiver = alternative[0]
            if self.keep:
                self.record("MessageRerouted", sender=sender, intended=to, receiver=receiver, fact=fact)
        channel = ROUTES.get((sender, receiver))
        if channel is None:  # the community's radio to the patrols is not enabled in the base variant
            if self.keep:
                self.record("MessageUndeliverable", sender=sender, receiver=receiver, fact=fact)
            return
        self.send(LINES[channel], sender, receiver, fact, 1)

    def send(self, line: Line, sender: str, receiver: str, fact: str, attempt: int) -> None:
        """Send on `line`, waiting for a free line where it has a capacity."""
        pool = self.lines.get(line.id)
        if pool is None:
            self.transmit(line, sender, receiver, fact, attempt, None)
        else:
            pool.request(lambda: self.transmit(line, sender, receiver, fact, attempt, pool))

    def transmit(self, line: Line, sender: str, receiver: str, fact: str, attempt: int, pool: Pool | None) -> None:
        """Draw the latency (and failure) from the channel's stream; deliver, retry or lose after it."""
        stream = f"channel:{line.id}"
        latency = self.sample(line.latency, stream)
        failed = line.failure > 0 and self.rng(stream).random() < line.failure
        if self.keep:
            self.record(
                "MessageSent", channel=line.id, sender=sender, receiver=receiver, fact=fact, attempt=attempt,
                latency_s=latency,
            )  # fmt: skip

        def done() -> None:
            if not failed:
                self.hops += 1
                if self.keep:
                    self.record("MessageArrived", channel=line.id, sender=sender, receiver=receiver, fact=fact)
                self.intake(sender, receiver, fact)
            else:
                if self.keep:
                    self.record(
                        "MessageFailed", channel=line.id, sender=sender, receiver=receiver, fact=fact, attempt=attempt
                    )
                if attempt < 3:  # only staff-phone-112 fails: retry after 20 s, 3 attempts in all
                    self.later(line.retry_after, lambda: self.send(line, sender, receiver, fact, attempt + 1))
                elif self.keep:
                    self.record("MessageLost", channel=line.id, sender=sender, receiver=receiver, fact=fact)
            if pool is not None:
                pool.release()

        self.later(latency, done)

    def intake(self, sender: str, receiver: str, fact: str) -> None:
        """A control room takes the call when a call taker is free, then learns the fact; others learn at once."""
        taking = INTAKE.get(receiver)
        if taking is None:
            self.learn(receiver, fact, sender)
            return
        units = self.units[receiver]
        arrived = self.env.now

        def taken() -> None:
            duration = taking(self.rng(f"intake:{receiver}"))
            if self.keep:
                self.record(
                    "MessageTaken", stakeholder=receiver, fact=fact, sender=sender,
                    waited_s=round(self.env.now - arrived, 3), intake_s=duration,
                )  # fmt: skip

            def understood() -> None:
                self.learn(receiver, fact, sender)
                units.release()

            self.later(duration, understood)

        units.request(taken)

    # --- awareness and the playbooks ----------------------------------------------------------------------------

    def learn(self, who: str, fact: str, source: str) -> None:
        """`who` learns `fact` (the first time counts); its rules, milestones and staged units react."""
        held = self.known.setdefault(who, set())
        if fact in held:
            if self.keep:
                self.record("FactRepeated", stakeholder=who, fact=fact, source=source)
            return
        held.add(fact)
        if self.keep:
            self.record("FactLearned", stakeholder=who, fact=fact, source=source, true=fact != "second-attack-rumour")
        self.react(who, fact)
        milestone = FACT_MILESTONES.get((who, fact))
        if milestone is not None:
            self.milestone(milestone)
        for group in self.groups_waiting_for.pop((who, fact), ()):
            self.release_group(group)

    def fire(self, rule: str, who: str) -> bool:
        """Whether `rule` fires now (once per run); records it if so."""
        if rule in self.fired:
            return False
        self.fired.add(rule)
        if self.keep:
            self.record("RuleFired", stakeholder=who, rule=rule)
        return True

    def react(self, who: str, fact: str) -> None:
        """The playbook rules of `who` that `fact` fires, in the scenario's order."""
        known = self.known[who]
        if who == "community-security":
            if fact == "suspicious-person" and self.fire(rule := "cs-decide-on-sighting", who):
                self.later(10.0, lambda: self.open_decision("lockdown-or-evacuate"))
                self.notify(who, "police-control-110", fact, f"rule:{rule}", 20.0, ("emergency-control-112", 0.3))
            elif fact == "attack-at-synagogue" and self.fire(rule := "cs-call-on-attack", who):
                stream = f"rule:{rule}"
                self.notify(who, "police-control-110", fact, stream, CS_CALL_AFTER, ("emergency-control-112", 0.4))
                self.notify(who, "patrols", fact, stream, 30.0)
                self.notify(who, "umbrella-organisation", fact, stream, 180.0)
        elif who == "site-staff" and fact == "attack-at-synagogue" and self.fire(rule := "staff-call-112", who):
            self.notify(who, "emergency-control-112", fact, f"rule:{rule}", STAFF_CALL_AFTER)
        elif who == "public" and fact == "attack-at-cafe" and self.fire(rule := "public-call-110", who):
            self.notify(who, "police-control-110", fact, f"rule:{rule}", PUBLIC_CALL_AFTER)
        elif who == "emergency-control-112":
            if fact == "attack-at-synagogue" and self.fire(rule := "ecc-transfer-to-police", who):
                self.notify(who, "police-control-110", fact, f"rule:{rule}", 30.0)
                self.notify(who, "ems", fact, f"rule:{rule}", 60.0)
            elif fact == "suspicious-person" and self.fire(rule := "ecc-pass-suspicion", who):
                self.notify(who, "police-control-110", fact, f"rule:{rule}", 30.0)
        elif who == "police-control-110":
            if fact == "attack-at-synagogue":
                if self.fire(rule := "pcr-respond-to-attack", who):
                    self.open_decision("patrols-in-or-wait")
                    self.notify(who, "armed-response", fact, f"rule:{rule}", 30.0)
                    self.later(180.0, self.escalate)
                    self.later(300.0, self.surge)
                if self.fire(rule := "pcr-alert-ems", who):
                    self.notify(who, "ems", fact, f"rule:{rule}", 60.0)
            elif fact == "suspicious-person" and self.fire(rule := "pcr-suspicious-person", who):
                self.open_decision("patrols-in-or-wait")
                self.notify(who, "armed-response", fact, f"rule:{rule}", 30.0)
            elif fact == "armed-on-scene" and self.fire(rule := "pcr-declare-safe", who):
                self.notify(who, "ems", "scene-safe", f"rule:{rule}", DECLARE_SAFE_AFTER)
            elif fact == "major-incident" and self.fire(rule := "pcr-inform-authorities", who):
                self.notify(who, "crisis-cell", fact, f"rule:{rule}", 120.0)
                self.notify(who, "national-ct", fact, f"rule:{rule}", 300.0)
            elif fact == "attack-at-cafe" and self.fire(rule := "pcr-second-site", who):
                self.notify(who, "armed-response", fact, f"rule:{rule}", 30.0)
        elif who == "patrols":
            if fact == "enter-order" and "hold-cordon" not in known and self.fire("patrols-go-in", who):
                self.dispatch("patrols", None, 2, follow=True)
        elif who == "armed-response":
            if fact == "attack-at-synagogue" and "suspicious-person" not in known and self.fire("armed-go", who):
                self.dispatch(who, "synagogue", 1)
            elif (
                fact == "suspicious-person"
                and "attack-at-synagogue" not in known
                and self.fire("armed-go-on-report", who)
            ):
                self.dispatch(who, "synagogue", 1)
            elif fact == "attack-at-cafe" and self.fire("armed-go-cafe", who):
                self.dispatch(who, "cafe", 1)
        elif who == "ems":
            if fact == "attack-at-synagogue" and self.fire("ems-stage", who):
                self.later(60.0, lambda: self.dispatch("ems", "synagogue", 2, staged_until="scene-safe"))
        elif who == "crisis-cell":
            if fact == "major-incident" and self.fire("cell-open", who):
                self.later(60.0, lambda: self.open_decision("warn-other-sites"))
            elif fact == "attack-at-synagogue" and self.fire("cell-hears-from-community", who):
                self.later(60.0, lambda: self.open_decision("warn-other-sites"))
            elif fact == "press-request" and self.fire(rule := "cell-press", who):
                self.notify(who, "media", "major-incident", f"rule:{rule}", 1200.0)
            elif fact == "second-attack-rumour" and self.fire(rule := "cell-rumour", who):
                self.notify(who, "police-control-110", fact, f"rule:{rule}", 120.0)
        elif who == "umbrella-organisation":
            if fact == "attack-at-synagogue" and self.fire(rule := "umbrella-ask-the-city", who):
                self.notify(who, "crisis-cell", fact, f"rule:{rule}", 60.0)
            elif fact == "community-alert" and self.fire(rule := "umbrella-alert-sites", who):
                self.notify(who, "community-school", fact, f"rule:{rule}", 120.0)
                self.notify(who, "community-centre", fact, f"rule:{rule}", 120.0)
        elif fact == "community-alert":
            if who == "community-school" and self.fire("school-lock", who):
                self.lock_down("community-school", who)
            elif who == "community-centre" and self.fire("centre-lock", who):
                self.lock_down("community-centre", who)

    def arrived_rules(self, stakeholder: str, site: str) -> None:
        """The rules that units arriving fire (their own stakeholder's, at the synagogue)."""
        if site != "synagogue":
            return
        if stakeholder == "patrols" and self.fire("patrols-report-on-scene", stakeholder):
            self.notify(stakeholder, "police-control-110", "police-on-scene", "rule:patrols-report-on-scene")
        elif stakeholder == "armed-response" and self.fire("armed-report-on-scene", stakeholder):
            self.notify(stakeholder, "police-control-110", "armed-on-scene", "rule:armed-report-on-scene")

    def escalate(self) -> None:
        """The police control room declares a major incident."""
        if self.keep:
            self.record("Escalated", stakeholder="police-control-110", fact="major-incident")
        self.learn("police-control-110", "major-incident", "self")

    def open_decision(self, decision: str) -> None:
        """Open a decision (once); its default is taken at the deadline."""
        if decision in self.decisions:
            return
        self.decisions.add(decision)
        stakeholder, deadline = DECISIONS[decision]
        if self.keep:
            self.record("DecisionOpened", decision=decision, stakeholder=stakeholder, deadline_s=deadline)
        self.later(deadline, lambda: self.take_default(decision))

    def take_default(self, decision: str) -> None:
        """A decision's deadline passed: its default option is taken and its consequences run."""
        stakeholder, _deadline = DECISIONS[decision]
        option = {"lockdown-or-evacuate": "lock-down", "patrols-in-or-wait": "send-in"}.get(
            decision, "wait-for-confirmation"
        )
        if self.keep:
            self.record("DecisionTaken", decision=decision, option=option, stakeholder=stakeholder, by="default")
        if decision == "lockdown-or-evacuate":
            self.lock_down("synagogue", stakeholder)
        elif decision == "patrols-in-or-wait":
            self.notify(stakeholder, "patrols", "enter-order", f"decision:{decision}")
        else:
            self.notify(stakeholder, "umbrella-organisation", "community-alert", f"decision:{decision}", 900.0)

    # --- background work and its surge ----------------------------------------------------------------------

    def next_background_job(self, stakeholder: str) -> None:
        """Schedule the next background arrival of `stakeholder` at its current rate."""
        stream = f"background:{stakeholder}"
        gap = max(round(self.rng(stream).expovariate(self.background_rate[stakeholder]), 3), 0.001)
        pending = self.pending[stakeholder] = self.env.timeout(gap)
        pending.callbacks.append(partial(self.background_job, stakeholder))

    def background_job(self, stakeholder: str, _event: object) -> None:
        """A background job arrives: its service time is drawn now; it waits for a unit, then holds it."""
        service = BACKGROUND[stakeholder][1](self.rng(f"background:{stakeholder}"))
        arrived = self.env.now
        self.next_background_job(stakeholder)
        units = self.units[stakeholder]

        def start() -> None:
            if self.keep:
                self.record(
                    "BackgroundJobStarted", stakeholder=stakeholder, waited_s=round(self.env.now - arrived, 3),
                    service_s=service,
                )  # fmt: skip
            self.env.timeout(service).callbacks.append(lambda _event: units.release())

        units.request(start)

    def surge(self) -> None:
        """The police control room's calls come twice as often for 30 minutes."""
        who = "police-control-110"
        if self.keep:
            self.record("LoadSurged", stakeholder=who, factor=2.0, until_t=round(self.env.now + 1800.0, 3))
        self.surges.append(2.0)
        self.later(1800.0, self.surge_ended)
        self.set_rate()

    def surge_ended(self) -> None:
        """The surge is over: back to the usual rate."""
        self.surges.remove(2.0)
        if not self.surges and self.keep:
            self.record("LoadSurgeEnded", stakeholder="police-control-110")
        self.set_rate()

    def set_rate(self) -> None:
        """Set the police control room's arrival rate; the pending arrival is drawn again at the new rate."""
        who = "police-control-110"
        rate = BACKGROUND[who][0] / 3600.0 * max(self.surges, default=1.0)
        if rate == self.background_rate[who]:
            return
        self.background_rate[who] = rate
        callbacks = self.pending[who].callbacks
        if callbacks is not None:
            callbacks.clear()  # the arrival drawn at the old rate is dropped (the process is memoryless)
        self.next_background_job(who)


def play_same_output(seed: int) -> tuple[Played, list[Record]]:
    """One run with the engine's records and per-entity streams; what it did, and its records."""
    run = SynagogueRun(seed, Streams(seed), keep=True)
    return run.play(), run.records


def play_lower_bound(seed: int, rng: Rng | None = None) -> Played:
    """One run of the flow only: one `random.Random(seed)` for every draw (or `rng`'s streams), no records."""
    if rng is None:
        single = random.Random(seed)
        rng = lambda _entity: single  # noqa: E731 - every entity draws from the one generator
    return SynagogueRun(seed, rng, keep=False).play()
