import type { GoalOutcome, ItemKind } from '@agile-kpi/core';
import { buildOutput } from './build-output';
import { EventQueue } from './event-queue';
import type { SimulatedTeam } from './ground-truth';
import { LiveItem, LiveRelease, LiveSprint, LiveState } from './live-state';
import type { ItemSpec, StatusName } from './live-state';
import { resolveTeamOptions } from './options';
import type { ResolvedTeamOptions, SimulateTeamOptions } from './options';
import { Random } from './random';
import { ScenarioPlan } from './scenario-plan';
import type { SprintScenario } from './scenario-plan';
import { parseDate, TeamClock } from './team-clock';
import { planFollower, planTrajectory } from './trajectory';
import type { Outcome, Role, Step } from './trajectory';
import {
  bugTitle,
  epicTitle,
  impedimentTitle,
  PLAIN_LABELS,
  sprintGoal,
  storyTitle,
  subtaskTitle,
  taskTitle,
} from './vocabulary';

/**
 * The seeded team simulator: a Jira-like history of one Scrum team in the neutral model, plus the ground truth.
 *
 * How it works: a discrete-event simulation. At each sprint boundary the simulator decides, from the team's live
 * state, what the sprint will look like (what is planned, who finishes, what gets added, removed, reopened,
 * flagged...) and schedules those changes; the {@link EventQueue} then applies them in time order through
 * {@link LiveState}, which writes the timelines and the ground truth as it goes. Nothing is read back from the
 * generated histories, and nothing reads the clock or `Math.random`.
 */
export function simulateTeam(options: SimulateTeamOptions = {}): SimulatedTeam {
  return new TeamSimulation(resolveTeamOptions(options)).run();
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const FIBONACCI: readonly number[] = [1, 2, 3, 5, 8, 13];
const ESTIMATE_WEIGHTS: readonly (readonly [number, number])[] = [
  [1, 12],
  [2, 20],
  [3, 25],
  [5, 23],
  [8, 14],
  [13, 6],
];
/** Mean of ESTIMATE_WEIGHTS: converts "items per sprint" into a capacity in points. */
const MEAN_ESTIMATE = 4.45;
/** How far back the backlog reaches before the first sprint (the oldest ideas end up stale). */
const BACKLOG_HISTORY_DAYS = 150;
const WORKING_DAYS: readonly number[] = [1, 2, 3, 4, 5];
const WORKING_HOURS = { start: '09:00', end: '17:00' } as const;
const GOAL_LABEL = 'sprint-goal';
/** Label some teams' automation puts on items in review and takes off when they are done. */
const QA_LABEL = 'needs-qa';
const VERDICT_BY = 'Scrum Master';

interface ReleasePlan {
  slipDays: number;
  noSnapshots: boolean;
}

interface EpicPlan {
  startSprint: number;
  doneSprint: number;
}

interface Member {
  readonly item: LiveItem;
  readonly carried: boolean;
  role: Role;
  outcome: Outcome;
}

const byNumber = (a: LiveItem, b: LiveItem): number => a.n - b.n;
const byRank = (a: LiveItem, b: LiveItem): number => a.spec.rank - b.spec.rank || a.n - b.n;

class TeamSimulation {
  private readonly rng: Random;
  private readonly clock: TeamClock;
  private readonly state: LiveState;
  private readonly queue = new EventQueue();
  private readonly plan: ScenarioPlan;
  private readonly sprints: LiveSprint[] = [];
  private readonly closeAt: number[] = [];
  /**
   * Per sprint: the instant its planning is anchored to (planning runs in the 40 minutes before it). The start
   * itself with the 'instants' calendar; the afternoon of the last working day before the start with 'dates'.
   */
  private readonly planAt: number[] = [];
  /** Per sprint: nothing of the sprint's own work (steps, adds, intake...) is scheduled after this instant. */
  private readonly workEndAt: number[] = [];
  /** 'dates' calendar: per sprint, the items planning expected to be carried into it (checked at the close). */
  private readonly expectedCarry: (readonly LiveItem[] | undefined)[] = [];
  private readonly dates: boolean;
  private readonly releases: LiveRelease[] = [];
  private readonly releasePlans: ReleasePlan[] = [];
  private readonly epicPlans = new Map<LiveItem, EpicPlan>();
  private readonly epics: LiveItem[] = [];
  /** Epics labelled `feature:<key>` (the featureEpics option), and when each was done and in which release. */
  private readonly featureOf = new Map<LiveItem, string>();
  private readonly featureDone = new Map<LiveItem, { doneMs: number; release: LiveRelease | null }>();
  private readonly asOfMs: number;
  /** Day index (in the clock's table) of the first sprint's start date. */
  private readonly firstDay: number;
  private readonly baseCapacity: number;
  private capacity: number;
  private normalRank = 100_000_000;
  private urgentRank = 100_000_000;
  private vagueRank = 800_000_000;
  private readonly usedRanks = new Set<number>();
  /** Whether this team's board automation manages the {@link QA_LABEL}. */
  private readonly qaLabel: boolean;

  constructor(private readonly o: ResolvedTeamOptions) {
    this.rng = new Random(o.seed);
    const len = o.sprintLengthDays;
    const firstDate = new Date(parseDate(o.start)! - (BACKLOG_HISTORY_DAYS + 1) * DAY).toISOString().slice(0, 10);
    this.firstDay = BACKLOG_HISTORY_DAYS + 1;
    const days = this.firstDay + o.sprints * len + 120;
    this.clock = new TeamClock(o.timeZone, firstDate, days, WORKING_DAYS, WORKING_HOURS);
    this.state = new LiveState(
      this.clock,
      { issueBase: o.teamIndex * 1_000_000, eventBase: o.teamIndex * 100_000_000, teamKey: o.teamKey },
      GOAL_LABEL,
    );
    this.dates = o.sprintCalendar === 'dates';
    for (let k = 0; k < o.sprints; k++) {
      const firstDay = this.firstDay + k * len;
      const nextFirstDay = firstDay + len;
      let startMs: number;
      let endMs: number;
      if (this.dates) {
        // Date-only boundaries (Azure DevOps iterations): from the start of the first day to the end of the day
        // before the next sprint's first day, in the team's zone, closed at exactly that end.
        startMs = this.clock.startOfDayMs(firstDay);
        endMs = this.clock.startOfDayMs(nextFirstDay) - 1;
      } else {
        // Sprints start on the start date's weekday at 10:00 local and end `len` days later at 10:00 local: the
        // clock's per-day offsets make both DST aware.
        startMs = this.clock.localMs(firstDay, 10 * 60);
        endMs = this.clock.localMs(nextFirstDay, 10 * 60);
      }
      const sprint = new LiveSprint(
        `sim:sprint:${o.teamIndex * 100_000 + k + 1}`,
        k,
        `${o.teamKey} Sprint ${k + 1}`,
        startMs,
        endMs,
      );
      this.sprints.push(sprint);
      this.state.addSprint(sprint);
      if (this.dates) {
        this.closeAt.push(endMs);
        // Planned on the last working day before the start, in the afternoon (the session runs from 40 minutes
        // before this anchor to a few minutes after it).
        const planDay = this.previousWorkingDay(firstDay - 1);
        this.planAt.push(this.clock.localMs(planDay, 16 * 60 + this.rng.int(0, 20)) + this.rng.int(0, 59) * 1000);
      } else {
        // Closed on the planned end day, before the next sprint starts: 45 minutes to 3 hours early.
        this.closeAt.push(endMs - this.rng.int(45, 180) * MINUTE - this.rng.int(0, 59) * 1000);
        this.planAt.push(startMs);
      }
    }
    for (let k = 0; k < o.sprints; k++) {
      const last = k === o.sprints - 1;
      // With 'dates', the next sprint is planned before this one closes: this sprint's work stops 10 minutes
      // before that planning session, so that planning knows what will be carried over.
      this.workEndAt.push(
        last ? this.sprints[k]!.plannedEndMs : this.dates ? this.planAt[k + 1]! - 50 * MINUTE : this.closeAt[k]!,
      );
    }
    this.asOfMs = this.pickAsOf();
    this.plan = new ScenarioPlan(this.rng, o.sprints);
    this.planReleases();
    this.baseCapacity = o.itemsPerSprint * MEAN_ESTIMATE * this.rng.between(0.9, 1.1);
    this.capacity = this.baseCapacity;
    this.qaLabel = this.rng.chance(0.7);
  }

  run(): SimulatedTeam {
    this.schedulePreHistory();
    for (let k = 0; k < this.o.sprints; k++) {
      this.queue.at(this.planAt[k]! - 40 * MINUTE, () => this.boundary(k));
    }
    this.queue.runUntil(this.asOfMs);
    this.state.closeSprint(this.lastSprint, this.asOfMs, true);
    return this.build();
  }

  private get lastSprint(): LiveSprint {
    return this.sprints[this.sprints.length - 1]!;
  }

  private get P(): number {
    return this.o.itemsPerSprint;
  }

  /** The 7th working day of the active sprint at 12:00 (the middle one for short sprints). */
  private pickAsOf(): number {
    const len = this.o.sprintLengthDays;
    const first = this.firstDay + (this.o.sprints - 1) * len;
    const working: number[] = [];
    for (let d = first; d < first + len; d++) if (this.clock.isWorkingDay(d)) working.push(d);
    const day = working[Math.min(6, Math.floor(working.length / 2))] ?? first + 1;
    return this.clock.localMs(day, 12 * 60);
  }

  /**
   * One release every three sprints, planned to ship on the day its third sprint ends. Among the releases that ship
   * before `asOf`, at least one slips and at least one is on time; one release never had its date snapshotted.
   */
  private planReleases(): void {
    const n = this.o.sprints;
    const count = Math.ceil(n / 3);
    for (let r = 0; r < count; r++) this.releasePlans.push({ slipDays: 0, noSnapshots: false });
    const closable = Array.from({ length: count }, (_, r) => r).filter((r) => 3 * r + 3 <= n - 1);
    const slipFor = (r: number): number => (3 * r + 4 <= n - 1 ? this.rng.pick([7, 14]) : 7);
    for (const r of closable) if (this.rng.chance(0.35)) this.releasePlans[r]!.slipDays = slipFor(r);
    let slipped: number | undefined;
    let onTime: number | undefined;
    if (closable.length > 0) {
      slipped = this.rng.pick(closable);
      this.releasePlans[slipped]!.slipDays ||= slipFor(slipped);
    }
    if (closable.length > 1) {
      onTime = this.rng.pick(closable.filter((r) => r !== slipped));
      this.releasePlans[onTime]!.slipDays = 0;
    }
    const notLast = Array.from({ length: count - 1 }, (_, r) => r);
    const free = notLast.filter((r) => r !== slipped && r !== onTime);
    const candidates = free.length > 0 ? free : notLast.filter((r) => r !== slipped);
    if (candidates.length > 0) this.releasePlans[this.rng.pick(candidates)]!.noSnapshots = true;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Before the first sprint: epics, a backlog that grew for months, two refinement sessions.

  private schedulePreHistory(): void {
    const P = this.P;
    const historyStart = this.clock.localMs(1, 9 * 60);
    const firstStart = this.sprints[0]!.startMs;
    const epicCount = 3 + Math.floor(P / 8);
    for (let e = 0; e < epicCount; e++) {
      const t = this.randomWorkMs(historyStart, firstStart - 45 * DAY);
      const startSprint = this.rng.int(0, 2);
      this.createEpic(t, { startSprint, doneSprint: startSprint + this.rng.int(3, 7) });
    }
    // Vague ideas from the early days: never refined, never touched again, stale by the first sprint.
    const vague = Math.max(2, Math.round(P * 0.4));
    for (let i = 0; i < vague; i++) this.createBacklogItem(this.randomWorkMs(historyStart, historyStart + 30 * DAY), true);
    const initial = Math.round(P * 4);
    for (let i = 0; i < initial; i++) {
      this.createBacklogItem(this.randomWorkMs(historyStart + 20 * DAY, firstStart - 2 * DAY), false);
    }
    for (const daysBefore of [16, 5]) {
      const day = this.nextWorkingDay(this.firstDay - daysBefore);
      const t = this.clock.localMs(day, 14 * 60) + this.rng.int(0, 59) * 1000;
      this.queue.at(t, () => this.refine(Math.round(P * 2.4)));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Sprint boundary: releases, planning, and everything that will happen during the sprint.

  private boundary(k: number): void {
    const s = this.sprints[k]!;
    const now = this.queue.now;
    const last = k === this.o.sprints - 1;
    const endMs = this.workEndAt[k]!;
    const wStart = this.clock.workAt(s.startMs);
    const wEnd = this.clock.workAt(endMs) - 20;

    if (k % 3 === 0) this.openRelease(k, now);
    this.slipReleases(k);
    this.dropReleaseScope(k, now);

    this.capacity = Math.min(1.25, Math.max(0.75, (this.capacity / this.baseCapacity) * this.rng.between(0.94, 1.06))) * this.baseCapacity;
    const factor = this.has(k, 'over-commit')
      ? this.rng.between(1.2, 1.3)
      : this.has(k, 'under-commit')
        ? this.rng.between(0.7, 0.85)
        : this.rng.between(0.8, 1.2);

    const members = this.planSprint(k, factor);
    this.queue.probe(s.startMs, () => this.onSprintStart(k));
    this.scheduleMembers(k, members, wStart, wEnd, endMs);
    this.scheduleAdds(k, factor, wStart, wEnd, endMs, now);
    this.scheduleOutsideWork(k, wStart, wEnd, now);
    this.scheduleImpediments(k, wStart, wEnd);
    this.scheduleIntake(s, endMs);
    this.queue.at(this.clock.msAtWork(wStart + (wEnd - wStart) * this.rng.between(0.55, 0.7)), () =>
      this.refine(Math.round(this.P * 2.2)),
    );
    this.progressEpics(k, s.startMs, endMs);
    if (!last) this.queue.probe(this.closeAt[k]!, () => this.close(k));
  }

  /**
   * Sprint planning: carried-over work stays; the top of the backlog is pulled in until the commitment reaches
   * `factor` times the team's capacity (0.7x to 1.3x: under- and over-commitment both happen).
   */
  private planSprint(k: number, factor: number): Member[] {
    const s = this.sprints[k]!;
    const planMs = this.planAt[k]!;
    const target = factor * this.capacity;
    const carried = this.incoming(k).filter((i) => i.countable && !s.outside.has(i)).sort(byNumber);
    let points = carried.reduce((sum, i) => sum + (i.estimate ?? 0), 0);
    const picks: LiveItem[] = [];
    const decided = new Map<LiveItem, number>();
    let leaveUnestimated = this.has(k, 'unestimated-commit');
    const minPicks = Math.ceil(this.P * 0.3);
    const backlog = this.backlogSorted(planMs);
    for (const item of backlog) {
      if (points >= target && picks.length >= minPicks) break;
      picks.push(item);
      let estimate = item.estimate;
      if (estimate === null) {
        if (leaveUnestimated) leaveUnestimated = false;
        else decided.set(item, (estimate = this.randomEstimate()));
      }
      points += estimate ?? 0;
    }
    if (leaveUnestimated) {
      // Nobody estimated it, and it went in anyway: "committed items without estimates".
      const unestimated = backlog.find((i) => i.estimate === null && !picks.includes(i));
      if (unestimated) picks.push(unestimated);
    }

    for (const item of picks) {
      item.reserved = true;
      const joinAt = planMs - this.rng.int(60, 1500) * 1000;
      if (item.estimate !== null && this.rng.chance(0.2)) {
        // Planning poker revisits an old estimate just before the start: committed uses the new one.
        decided.set(item, this.neighbourEstimate(item.estimate, this.rng.chance(0.5) ? 'up' : 'down'));
      }
      const estimate = decided.get(item);
      if (estimate !== undefined) {
        const at = planMs - this.rng.int(1680, 2280) * 1000;
        this.queue.at(at, () => this.state.setEstimate(item, estimate, at));
      }
      this.queue.at(joinAt, () => {
        this.join(item, s, joinAt);
        item.reserved = false;
        item.everPlanned = true;
      });
      this.planSubtasks(item, joinAt);
    }

    const estimateAtStart = (i: LiveItem): number | null => decided.get(i) ?? i.estimate;
    const pool: Member[] = [
      ...carried.map((item) => ({ item, carried: true, role: 'none' as Role, outcome: 'done' as Outcome })),
      ...picks.map((item) => ({ item, carried: false, role: 'none' as Role, outcome: 'done' as Outcome })),
    ];

    // Sprint goal, and goal items labelled at planning.
    const goalItems = new Set<LiveItem>();
    if (!this.has(k, 'no-goal')) s.goal = sprintGoal(this.rng);
    let missedGoalItem: LiveItem | undefined;
    if (s.goal && this.has(k, 'goal-items')) {
      const chosen = this.rng.sample(pool.filter((m) => !m.carried), this.rng.int(1, 3));
      for (const m of chosen) {
        goalItems.add(m.item);
        const at = planMs - this.rng.int(5, 50) * 1000;
        this.queue.at(at, () => this.state.setLabels(m.item, [...m.item.labels, GOAL_LABEL], at));
      }
      if (this.has(k, 'goal-missed') && chosen.length > 0) missedGoalItem = this.rng.pick(chosen).item;
    }

    // Special roles: one item each (a few more in large teams), never two roles on one item.
    const weekend = this.weekendWindow(k);
    const roles: readonly [SprintScenario, Role, (m: Member) => boolean][] = [
      ['removal', 'removal', (m) => !goalItems.has(m.item)],
      ['reopen-done', 'reopen-done', (m) => !goalItems.has(m.item)],
      ['reopen-open', 'reopen-open', (m) => !goalItems.has(m.item)],
      ['re-estimate-up', 're-estimate-up', (m) => (estimateAtStart(m.item) ?? 13) < 13],
      ['re-estimate-down', 're-estimate-down', (m) => (estimateAtStart(m.item) ?? 1) > 1],
      ['flag-weekend', 'flag-weekend', (m) => !m.item.flagged && weekend !== undefined && m.item !== missedGoalItem],
      ['flag-until-done', 'flag-until-done', (m) => !m.item.flagged && m.item !== missedGoalItem],
      ['flag', 'flag', (m) => !m.item.flagged],
      ['blocked', 'blocked', () => true],
    ];
    const extra = this.P > 12 ? Math.floor(this.P / 12) : 0;
    for (const [scenario, role, eligible] of roles) {
      if (!this.has(k, scenario)) continue;
      const candidates = this.rng.shuffle(pool.filter((m) => m.role === 'none' && eligible(m)));
      const count = 1 + (extra > 0 ? this.rng.int(0, extra) : 0);
      for (const m of candidates.slice(0, count)) m.role = role;
    }

    // An over-committed team still finishes about its capacity; an under-committed one finishes nearly all.
    const pDone = Math.min(0.97, Math.max(0.55, 0.9 / factor));
    for (const m of pool) {
      if (m.role === 'removal') m.outcome = 'removed';
      else if (m.role === 'reopen-open') m.outcome = 'carry';
      else if (m.role === 'reopen-done' || m.role === 'flag-weekend' || m.role === 'flag-until-done') m.outcome = 'done';
      else if (m.item === missedGoalItem) m.outcome = 'carry';
      else if (goalItems.has(m.item)) m.outcome = 'done';
      else m.outcome = this.rng.chance(m.carried ? Math.min(0.97, pDone + 0.1) : pDone) ? 'done' : 'carry';
    }
    return pool;
  }

  /** New stories often get 1-3 sub-tasks right after planning; some of them carry points (which never count). */
  private planSubtasks(item: LiveItem, joinAt: number): void {
    if (item.kind !== 'story' || item.everPlanned || item.children.length > 0 || !this.rng.chance(0.3)) return;
    const count = this.rng.int(1, 3);
    for (let c = 0; c < count; c++) {
      const at = joinAt + this.rng.int(10, 180) * 1000;
      const spec: ItemSpec = {
        kind: 'subtask',
        original: 'Sub-task',
        title: subtaskTitle(this.rng),
        described: this.rng.chance(0.5),
        estimate: this.rng.chance(0.35) ? this.rng.pick([1, 2, 3]) : null,
        labels: [],
        vague: false,
        parent: item,
        rank: 0,
      };
      const child = new LiveItem(spec);
      this.queue.at(at, () => {
        spec.rank = this.nextRank('normal');
        this.state.create(child, at, { sprints: item.sprints });
      });
    }
  }

  /** Turns each member's plan into scheduled changes; sub-tasks move inside their parent's path. */
  private scheduleMembers(k: number, members: readonly Member[], wStart: number, wEnd: number, endMs: number): void {
    const s = this.sprints[k]!;
    const weekend = this.weekendWindow(k);
    for (const m of members) {
      const steps = planTrajectory(this.rng, {
        from: m.item.status,
        flagged: m.item.flagged,
        start: wStart,
        end: wEnd,
        outcome: m.outcome,
        role: m.role,
        ...(m.role === 'flag-weekend' && weekend ? { weekend } : {}),
      });
      this.scheduleSteps(m.item, s, steps, endMs);
      if (m.item.kind !== 'story') continue;
      const firstDone = steps.find((st) => st.kind === 'status' && st.to === 'Done');
      const removal = steps.find((st) => st.kind === 'remove');
      const until = (firstDone?.w ?? removal?.w ?? wEnd) - 2;
      const parentDone = m.outcome === 'done';
      // Existing sub-tasks (carried over with the parent) and those planSubtasks is about to create.
      const followers = [...m.item.children.filter((c) => c.status !== 'Done')];
      for (const child of followers) {
        const done = parentDone || this.rng.chance(removal ? 0.15 : 0.4);
        this.scheduleSteps(child, s, planFollower(this.rng, child.status, wStart, until, done), endMs);
      }
      this.scheduleNewSubtaskPaths(m.item, s, wStart, until, parentDone, removal !== undefined, endMs);
    }
  }

  /**
   * Sub-tasks created at planning exist only once their creation event has run; their paths are scheduled by a
   * small event right after the last of them is created, from the parent's plan bounds computed now.
   */
  private scheduleNewSubtaskPaths(
    parent: LiveItem,
    s: LiveSprint,
    wStart: number,
    until: number,
    parentDone: boolean,
    removed: boolean,
    endMs: number,
  ): void {
    if (parent.everPlanned || parent.children.length > 0) return;
    // planSubtasks scheduled the creations at joinAt + up to 180 s (joinAt is before the start): by start + 5
    // minutes they all exist.
    this.queue.at(s.startMs + 5 * MINUTE, () => {
      for (const child of parent.children) {
        if (child.statusLog.length !== 1 || child.status !== 'To Do') continue;
        const from = Math.max(wStart, this.clock.workAt(child.createdMs), this.clock.workAt(this.queue.now)) + 1;
        const done = parentDone || this.rng.chance(removed ? 0.15 : 0.4);
        this.scheduleSteps(child, s, planFollower(this.rng, 'To Do', from, until, done), endMs);
      }
    });
  }

  /**
   * Mid-sprint additions: more of them when the team under-committed. A new bug straight into the sprint, or the
   * next backlog item pulled in; some get done, some are carried over.
   */
  private scheduleAdds(k: number, factor: number, wStart: number, wEnd: number, endMs: number, now: number): void {
    const s = this.sprints[k]!;
    const scale = Math.max(1, Math.round(this.P / 10));
    const outcomes: Outcome[] = [];
    if (this.has(k, 'add-done')) outcomes.push('done');
    if (this.has(k, 'add-open')) outcomes.push('carry');
    const random = (factor < 0.9 ? this.rng.int(1, 3) : this.rng.int(0, 1)) * scale;
    for (let i = 0; i < random; i++) outcomes.push(this.rng.chance(0.6) ? 'done' : 'carry');
    const lo = wStart + 240;
    const hi = wEnd - 960;
    if (hi <= lo) return;
    const backlog = this.backlogSorted(now);
    for (const outcome of outcomes) {
      const wAdd = this.rng.between(lo, hi);
      const addAt = this.clock.msAtWork(wAdd);
      const fromBacklog = this.rng.chance(0.5) ? backlog.find((i) => !i.reserved) : undefined;
      let item: LiveItem;
      if (fromBacklog) {
        item = fromBacklog;
        item.reserved = true;
        this.queue.at(addAt, () => {
          this.join(item, s, addAt);
          item.reserved = false;
        });
      } else {
        const spec = this.backlogSpec('bug', false, this.rng.chance(0.7));
        item = new LiveItem(spec);
        if (this.rng.chance(0.5)) {
          // Created on the board inside the sprint: the Sprint field is set at creation.
          this.scheduleCreate(item, addAt, 'urgent', () => ({ sprints: [s.id] }));
        } else {
          const createdAt = addAt - this.rng.int(5, 120) * MINUTE;
          this.scheduleCreate(item, createdAt, 'urgent', () => ({}), () => (item.reserved = true));
          this.queue.at(addAt, () => {
            this.join(item, s, addAt);
            item.reserved = false;
          });
        }
      }
      const steps = planTrajectory(this.rng, {
        from: item.exists ? item.status : 'To Do',
        flagged: item.exists && item.flagged,
        start: wAdd,
        end: wEnd,
        outcome,
        role: 'none',
      });
      this.scheduleSteps(item, s, steps, endMs);
    }
  }

  /**
   * Work done outside any sprint: a bug fixed straight from the backlog ("kanban") and, in some sprints, one that
   * is fixed first and only then added to the sprint (Jira's "completed outside of this sprint").
   */
  private scheduleOutsideWork(k: number, wStart: number, wEnd: number, now: number): void {
    const s = this.sprints[k]!;
    const span = wEnd - wStart;
    const candidates = this.backlogSorted(now).filter((i) => !i.reserved && i.status === 'To Do');
    const take = (): LiveItem | undefined => {
      const item = candidates.find((i) => i.kind === 'bug' && !i.reserved) ?? candidates.find((i) => !i.reserved);
      if (item) item.reserved = true;
      return item;
    };
    const fix = (item: LiveItem): number => {
      const wIn = wStart + span * this.rng.between(0.05, 0.25);
      const wDone = wIn + this.rng.between(60, 900);
      const tIn = this.clock.msAtWork(wIn);
      const tDone = this.clock.msAtWork(wDone);
      this.queue.at(tIn, () => this.state.setStatus(item, 'In Progress', tIn));
      this.queue.at(tDone, () => this.state.setStatus(item, 'Done', tDone));
      return wDone;
    };
    if (this.has(k, 'completed-outside')) {
      const item = take();
      if (item) {
        const wDone = fix(item);
        const wJoin = Math.min(wDone + this.rng.between(60, 900), wEnd - 240);
        const tJoin = Math.max(this.clock.msAtWork(wJoin), this.clock.msAtWork(wDone) + MINUTE);
        this.queue.at(tJoin, () => {
          this.join(item, s, tJoin);
          item.reserved = false;
        });
      }
    }
    if (this.has(k, 'kanban-done')) {
      const item = take();
      if (item) fix(item);
    }
  }

  /** Impediment items (an "Impediment" issue type): raised = created, resolved = Done. */
  private scheduleImpediments(k: number, wStart: number, wEnd: number): void {
    const s = this.sprints[k]!;
    const last = k === this.o.sprints - 1;
    const span = wEnd - wStart;
    if (this.has(k, 'impediment-item')) {
      const count = this.rng.chance(0.3) ? 2 : 1;
      for (let i = 0; i < count; i++) {
        const wRaise = wStart + span * this.rng.between(0.05, 0.7);
        let inSprint = this.rng.chance(0.6);
        const wWork = wRaise + this.rng.between(15, 240);
        let wResolve = wRaise + this.rng.between(120, 2400);
        if (inSprint && wResolve > wEnd - 30) {
          if (wWork + 5 < wEnd - 30) wResolve = this.rng.between(wWork + 5, wEnd - 30);
          else inSprint = false;
        }
        this.createImpediment(s, wRaise, inSprint, [wWork, wResolve]);
      }
    }
    if (last) {
      // One impediment is still open when the snapshot is taken.
      const wAsOf = this.clock.workAt(this.asOfMs);
      const wRaise = this.rng.between(wStart + 60, Math.max(wStart + 61, wAsOf - 120));
      this.createImpediment(s, wRaise, this.rng.chance(0.5), [wRaise + this.rng.between(15, 100)]);
    }
  }

  private createImpediment(s: LiveSprint, wRaise: number, inSprint: boolean, stepsAt: readonly number[]): void {
    const spec: ItemSpec = {
      kind: 'impediment',
      original: 'Impediment',
      title: impedimentTitle(this.rng),
      described: true,
      estimate: null,
      labels: [],
      vague: false,
      rank: 0,
    };
    const item = new LiveItem(spec);
    const at = this.clock.msAtWork(wRaise);
    this.scheduleCreate(item, at, 'urgent', () => (inSprint ? { sprints: [s.id] } : {}));
    const statuses = ['In Progress', 'Done'] as const;
    let previous = at;
    stepsAt.forEach((w, i) => {
      const t = Math.max(this.clock.msAtWork(w), previous + MINUTE);
      previous = t;
      this.queue.at(t, () => this.state.setStatus(item, statuses[i]!, t));
    });
  }

  /** New backlog items keep arriving (a few vague ones, a few urgent bugs, some straight into the open release). */
  private scheduleIntake(s: LiveSprint, endMs: number): void {
    const count = Math.round(this.P * this.rng.between(0.95, 1.25));
    for (let i = 0; i < count; i++) this.createBacklogItem(this.randomWorkMs(s.startMs, endMs), false);
    const vague = Math.floor(this.P * 0.1 + this.rng.float());
    for (let i = 0; i < vague; i++) this.createBacklogItem(this.randomWorkMs(s.startMs, endMs), true);
  }

  /**
   * Backlog refinement: the top of the backlog gets estimated; now and then an estimate is revised. Items further
   * down stay unestimated until they rise.
   */
  private refine(depth: number): void {
    const now = this.queue.now;
    const top = this.backlogSorted(now).filter((i) => !i.reserved).slice(0, depth);
    for (const item of top) {
      // Open questions: flagged until a later refinement clears them (not "ready" meanwhile).
      if (item.flagged) {
        if (this.rng.chance(0.6)) this.state.setFlag(item, false, now);
      } else if (this.rng.chance(0.03)) {
        this.state.setFlag(item, true, now);
      }
      let value: number | undefined;
      if (item.estimate === null) {
        if (this.rng.chance(0.92)) value = this.randomEstimate();
      } else if (this.rng.chance(0.12)) {
        value = this.neighbourEstimate(item.estimate, this.rng.chance(0.5) ? 'up' : 'down');
      }
      if (value === undefined) continue;
      const at = now + this.rng.int(1, 90) * MINUTE + this.rng.int(0, 59) * 1000;
      const estimate = value;
      const component = item.labels.length === 0 && this.rng.chance(0.5) ? this.rng.pick(PLAIN_LABELS) : undefined;
      item.reserved = true;
      this.queue.at(at, () => {
        const eventId = this.state.eventId();
        this.state.setEstimate(item, estimate, at, eventId);
        if (component) this.state.setLabels(item, [...item.labels, component], at, eventId);
        item.reserved = false;
      });
    }
  }

  private progressEpics(k: number, startMs: number, endMs: number): void {
    for (const epic of this.epics) {
      const plan = this.epicPlans.get(epic);
      if (!plan || !epic.exists || plan.startSprint !== k || epic.status !== 'To Do') continue;
      const at = this.randomWorkMs(startMs, startMs + 2 * DAY);
      this.queue.at(at, () => this.state.setStatus(epic, 'In Progress', at));
    }
    if (k % 4 === 3) {
      const startSprint = k + 1 + this.rng.int(0, 1);
      this.createEpic(this.randomWorkMs(startMs, endMs), { startSprint, doneSprint: startSprint + this.rng.int(3, 6) });
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Probes and transitions that the queue runs at fixed instants.

  private onSprintStart(k: number): void {
    const s = this.sprints[k]!;
    this.state.startSprint(s);
    for (const r of this.releases) {
      if (r.startMs === s.startMs) this.state.startRelease(r);
      // Release dates have no history in the trackers: a sync at each sprint start snapshots them.
      if (!r.shipped && r.startMs <= s.startMs && !r.noSnapshots) {
        r.snapshots.push({ at: this.clock.iso(s.startMs), value: r.plannedDate, eventId: this.state.eventId() });
      }
    }
  }

  /** Sprint close: the truth is taken, then unfinished work moves to the next sprint (keeping this one). */
  private close(k: number): void {
    const s = this.sprints[k]!;
    const now = this.queue.now;
    this.state.closeSprint(s, now, false);
    // With 'dates' the close is at midnight: what follows it happens the next working morning.
    const afterClose = (minutes: number): number =>
      this.dates ? this.clock.msAtWork(this.clock.workAt(now) + minutes) : now + minutes * MINUTE;
    if (this.has(k, 'verdict')) {
      const outcome: GoalOutcome = this.rng.pick(['met', 'partly', 'missed']);
      s.verdict = { outcome, by: VERDICT_BY, at: this.clock.iso(afterClose(this.rng.int(10, 90))) };
    }
    const next = this.sprints[k + 1];
    if (next) {
      const carried = [...s.members].sort(byNumber).filter((i) => i.kind !== 'subtask' && i.status !== 'Done');
      if (this.dates) this.checkExpectedCarry(k + 1, carried);
      for (const item of carried) {
        // 'dates': at the next sprint's start instant, 1 ms after the close, so that the item is in the next
        // sprint when it starts (committed there), as it is in Jira.
        const at = this.dates ? next.startMs : now + this.rng.int(0, 120) * 1000;
        this.queue.at(at, () => this.carry(item, s, next, at));
      }
    }
    for (const epic of this.epics) {
      const plan = this.epicPlans.get(epic);
      if (!plan || plan.doneSprint !== k || epic.status !== 'In Progress') continue;
      const at = afterClose(this.rng.int(5, 30));
      this.queue.at(at, () => {
        const eventId = this.state.eventId();
        this.state.setStatus(epic, 'Done', at, eventId);
        if (this.featureOf.has(epic)) this.shipFeature(epic, at, eventId);
      });
    }
  }

  /** 'dates': planning relied on knowing, before the close, what would be carried over. */
  private checkExpectedCarry(k: number, carried: readonly LiveItem[]): void {
    const expected = this.expectedCarry[k];
    if (expected === undefined) return; // sprint k's planning did not need it (it always does; defensive)
    const same = expected.length === carried.length && expected.every((item, i) => carried[i] === item);
    if (!same) {
      const keys = (items: readonly LiveItem[]): string => items.map((i) => i.key).join(', ');
      throw new Error(
        `simulator: sprint ${k} was planned expecting [${keys(expected)}] to be carried over, got [${keys(carried)}]`,
      );
    }
  }

  private ship(r: LiveRelease): void {
    const now = this.queue.now;
    this.state.shipRelease(r, now);
    const next = this.releases[r.index + 1];
    if (!next) return;
    // Jira asks where the unresolved issues go when a version is released: into the next one.
    for (const item of [...r.members].sort(byNumber)) {
      if (!item.countable || item.status === 'Done') continue;
      const at = now + this.rng.int(60, 600) * 1000;
      this.queue.at(at, () => this.state.setReleases(item, [...item.releases.filter((id) => id !== r.id), next.id], at));
    }
  }

  /**
   * A feature's epic, just done, goes into the release open now and ships with it: its fix version set on the
   * transition to Done (a transition screen with Fix Version/s), in the same history entry, so that no other
   * event of the team changes id.
   */
  private shipFeature(epic: LiveItem, at: number, eventId: string): void {
    const open = this.openReleaseAt(at) ?? null;
    if (open) this.state.setReleases(epic, [...epic.releases, open.id], at, eventId);
    this.featureDone.set(epic, { doneMs: at, release: open });
  }

  /** A status change, with the board automation's label change in the same history entry. */
  private setStatus(item: LiveItem, to: StatusName, at: number): void {
    const eventId = this.state.eventId();
    this.state.setStatus(item, to, at, eventId);
    if (!this.qaLabel || !item.countable) return;
    const labelled = item.labels.includes(QA_LABEL);
    if (to === 'In Review' && !labelled) this.state.setLabels(item, [...item.labels, QA_LABEL], at, eventId);
    if (to === 'Done' && labelled) this.state.setLabels(item, item.labels.filter((l) => l !== QA_LABEL), at, eventId);
  }

  private join(item: LiveItem, s: LiveSprint, at: number): void {
    this.state.setSprints(item, [...item.sprints, s.id], at);
    for (const child of item.children) {
      if (!child.exists || child.sprints.includes(s.id)) continue;
      this.state.setSprints(child, [...child.sprints, s.id], at);
    }
  }

  private leave(item: LiveItem, s: LiveSprint, at: number): void {
    this.state.setSprints(item, item.sprints.filter((id) => id !== s.id), at);
    for (const child of item.children) {
      if (!child.sprints.includes(s.id)) continue;
      this.state.setSprints(child, child.sprints.filter((id) => id !== s.id), at);
    }
  }

  /**
   * Jira's carry-over: the next sprint is added, the closed one stays; the goal label is taken off. The label
   * change is never at the close instant itself, where it would make "goal items at close" ambiguous.
   */
  private carry(item: LiveItem, from: LiveSprint, to: LiveSprint, at: number): void {
    const eventId = this.state.eventId();
    this.state.setSprints(item, [...item.sprints, to.id], at, eventId);
    if (item.labels.includes(GOAL_LABEL)) {
      const untag = (when: number, id?: string): void =>
        this.state.setLabels(item, item.labels.filter((l) => l !== GOAL_LABEL), when, id);
      if (at > (from.closeMs ?? at)) untag(at, eventId);
      else {
        const later = at + this.rng.int(1, 30) * 1000;
        this.queue.at(later, () => untag(later));
      }
    }
    for (const child of item.children) {
      if (!child.sprints.includes(from.id) || child.sprints.includes(to.id)) continue;
      this.state.setSprints(child, [...child.sprints, to.id], at);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Releases.

  private openRelease(k: number, now: number): void {
    const s = this.sprints[k]!;
    const index = this.releases.length;
    const plan = this.releasePlans[index] ?? { slipDays: 0, noSnapshots: false };
    const plannedDay = this.firstDay + (k + 3) * this.o.sprintLengthDays;
    const shipDay = plannedDay + plan.slipDays;
    const shipMs = this.clock.localMs(shipDay, this.rng.int(14 * 60, 16 * 60 + 30)) + this.rng.int(0, 59) * 1000;
    const release = new LiveRelease(
      `sim:release:${this.o.teamIndex * 100_000 + index + 1}`,
      index,
      `${this.o.teamKey} 1.${index}`,
      s.startMs,
      this.clock.dateOf(plannedDay),
      shipMs,
      plan.noSnapshots,
    );
    this.releases.push(release);
    this.state.addRelease(release);
    this.queue.probe(shipMs, () => this.ship(release));

    // Planned scope: unfinished work in the coming sprint and the top of the backlog, about three sprints' worth.
    // Product owners plan releases optimistically: a little more than three sprints usually deliver.
    const target = 3 * this.capacity * this.rng.between(1, 1.3);
    const inOpenRelease = (i: LiveItem): boolean => i.releases.some((id) => !this.state.releaseById.get(id)?.shipped);
    const carried = this.incoming(k).filter((i) => i.countable && i.status !== 'Done').sort(byNumber);
    const candidates = [...carried, ...this.backlogSorted(this.planAt[k]!)].filter((i) => !inOpenRelease(i));
    let points = 0;
    for (const item of candidates) {
      if (points >= target) break;
      points += item.estimate ?? MEAN_ESTIMATE;
      const at = now + this.rng.int(120, 600) * 1000;
      this.queue.at(at, () => this.state.setReleases(item, [...item.releases, release.id], at));
    }
  }

  /** A slipping release gets its date moved a sprint or two before it was due. */
  private slipReleases(k: number): void {
    this.releases.forEach((r) => {
      const plan = this.releasePlans[r.index];
      if (!plan || plan.slipDays === 0 || r.shipped) return;
      if (k === 3 * r.index + 2) {
        const plannedDay = this.clock.dayIndexOfDate(r.plannedDate);
        r.plannedDate = this.clock.dateOf(plannedDay + plan.slipDays);
      }
    });
  }

  /** Near the end of a release, the product owner sometimes drops an item nobody started. */
  private dropReleaseScope(k: number, now: number): void {
    for (const r of this.releases) {
      if (r.shipped || k !== 3 * r.index + 2 || !this.rng.chance(0.6)) continue;
      const candidates = [...r.members]
        .filter((i) => i.countable && i.status === 'To Do' && i.current === null && !i.reserved)
        .sort(byNumber);
      const item = candidates.length > 0 ? this.rng.pick(candidates) : undefined;
      if (!item) continue;
      item.holdUntil = r.shipMs + HOUR;
      const at = now + this.rng.int(60, 300) * 1000;
      this.queue.at(at, () => this.state.setReleases(item, item.releases.filter((id) => id !== r.id), at));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Items.

  private createEpic(at: number, plan: EpicPlan): void {
    const index = this.epics.length;
    const feature = this.o.featureEpics[index];
    const spec: ItemSpec = {
      kind: 'epic',
      original: 'Epic',
      title: epicTitle(index),
      described: true,
      estimate: null,
      labels: feature === undefined ? [] : [`feature:${feature}`],
      vague: false,
      rank: 0,
    };
    const epic = new LiveItem(spec);
    this.epics.push(epic);
    this.epicPlans.set(epic, plan);
    if (feature !== undefined) this.featureOf.set(epic, feature);
    this.scheduleCreate(epic, at, 'normal', () => ({}));
  }

  private createBacklogItem(at: number, vague: boolean): void {
    const kind = this.rng.weighted<ItemKind>([
      ['story', 60],
      ['task', 15],
      ['bug', 25],
    ]);
    const spec = this.backlogSpec(kind, vague, !vague && this.rng.chance(0.15));
    const item = new LiveItem(spec);
    const rank = vague ? 'vague' : kind === 'bug' && this.rng.chance(0.35) ? 'urgent' : 'normal';
    const addToRelease = !vague && this.rng.chance(0.12);
    this.scheduleCreate(item, at, rank, () => {
      const open = addToRelease ? this.openReleaseAt(at) : undefined;
      return open ? { releases: [open.id] } : {};
    });
  }

  private backlogSpec(kind: ItemKind, vague: boolean, estimated: boolean): ItemSpec {
    const title = kind === 'bug' ? bugTitle(this.rng) : kind === 'task' ? taskTitle(this.rng) : storyTitle(this.rng);
    const original = kind === 'bug' ? 'Bug' : kind === 'task' ? 'Task' : 'Story';
    return {
      kind,
      original,
      title,
      described: this.rng.chance(vague ? 0.4 : 0.88),
      estimate: estimated ? this.randomEstimate() : null,
      labels: this.rng.chance(0.6) ? [this.rng.pick(PLAIN_LABELS)] : [],
      vague,
      rank: 0,
    };
  }

  /**
   * Schedules an item's creation. Its number, id and key are given when the event runs, so keys follow creation
   * order as in Jira; stories pick an open epic as parent then.
   */
  private scheduleCreate(
    item: LiveItem,
    at: number,
    rank: 'normal' | 'urgent' | 'vague',
    init: () => { sprints?: readonly string[]; releases?: readonly string[] },
    after?: () => void,
  ): void {
    this.queue.at(at, () => {
      item.spec.rank = this.nextRank(rank);
      if (item.kind === 'story' && this.rng.chance(0.6)) {
        const open = this.epics.filter((e) => e.exists && e.status !== 'Done');
        if (open.length > 0) item.spec.parent = this.rng.pick(open);
      }
      this.state.create(item, at, init());
      after?.();
    });
  }

  /**
   * Backlog ranks: new items go to the bottom (with some shuffling among neighbours, as product owners reorder),
   * urgent bugs and impediments to the top, vague ideas below everything. Ranks are unique, as Jira's are.
   */
  private nextRank(kind: 'normal' | 'urgent' | 'vague'): number {
    if (kind === 'urgent') return (this.urgentRank -= 100);
    if (kind === 'vague') return (this.vagueRank += 10);
    this.normalRank += 100;
    let rank = this.normalRank + this.rng.int(-150, 150);
    while (this.usedRanks.has(rank)) rank += 1;
    this.usedRanks.add(rank);
    return rank;
  }

  private scheduleSteps(item: LiveItem, s: LiveSprint, steps: readonly Step[], endMs: number): void {
    if (steps.length === 0) return;
    const times = steps.map((st) => this.clock.msAtWork(st.w));
    for (let i = 1; i < times.length; i++) if (times[i]! <= times[i - 1]!) times[i] = times[i - 1]! + 1000;
    // A few changes happen outside office hours (someone finishing in the evening).
    const limit = endMs - 10 * MINUTE;
    for (let i = 0; i < steps.length; i++) {
      if (steps[i]!.kind !== 'status' || !this.rng.chance(0.04)) continue;
      const later = times[i]! + this.rng.int(60, 240) * MINUTE;
      if (later < (times[i + 1] ?? limit) - MINUTE) times[i] = later;
    }
    steps.forEach((step, i) => {
      const at = times[i]!;
      this.queue.at(at, () => this.apply(item, s, step, at));
    });
  }

  private apply(item: LiveItem, s: LiveSprint, step: Step, at: number): void {
    switch (step.kind) {
      case 'status':
        this.setStatus(item, step.to, at);
        return;
      case 'flag':
        this.state.setFlag(item, step.on, at);
        return;
      case 'estimate':
        this.state.setEstimate(item, this.neighbourEstimate(item.estimate ?? 3, step.direction), at);
        return;
      case 'remove':
        this.leave(item, s, at);
        return;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Helpers.

  private has(k: number, scenario: SprintScenario): boolean {
    return this.plan.has(k, scenario);
  }

  /** Plannable backlog in rank order: not vague, not parked, not taken by another plan. */
  private backlogSorted(at: number): LiveItem[] {
    return [...this.state.backlog].filter((i) => !i.spec.vague && !i.reserved && i.holdUntil <= at).sort(byRank);
  }

  private openReleaseAt(at: number): LiveRelease | undefined {
    for (let r = this.releases.length - 1; r >= 0; r--) {
      const release = this.releases[r]!;
      if (release.startMs <= at && !release.shipped) return release;
    }
    return undefined;
  }

  /** The sprint's first Friday afternoon and the Monday morning after it, in working minutes. */
  private weekendWindow(k: number): { on: number; off: number } | undefined {
    const first = this.firstDay + k * this.o.sprintLengthDays;
    for (let d = first; d < first + this.o.sprintLengthDays - 1; d++) {
      if (!this.clock.isWorkingDay(d) || this.clock.isWorkingDay(d + 1)) continue;
      const nextDay = this.nextWorkingDay(d + 1);
      const on = this.clock.workAt(this.clock.localMs(d, 14 * 60 + 13 * ((k * 7) % 11)));
      const off = this.clock.workAt(this.clock.localMs(nextDay, 9 * 60 + 30 + 11 * ((k * 5) % 13)));
      const end = this.clock.workAt(k === this.o.sprints - 1 ? this.asOfMs : this.workEndAt[k]!);
      return off + 600 < end ? { on, off } : undefined;
    }
    return undefined;
  }

  /**
   * The items already in sprint `k` when it is planned, or with the 'dates' calendar (planning comes before the
   * previous sprint's close) the ones that will be carried into it: the previous sprint's unfinished items, whose
   * work has stopped by then.
   */
  private incoming(k: number): LiveItem[] {
    if (!this.dates) return [...this.sprints[k]!.members];
    let expected = this.expectedCarry[k];
    if (expected === undefined) {
      const prev = this.sprints[k - 1];
      expected = prev ? [...prev.members].filter((i) => i.kind !== 'subtask' && i.status !== 'Done').sort(byNumber) : [];
      this.expectedCarry[k] = expected;
    }
    return [...expected];
  }

  private previousWorkingDay(day: number): number {
    let d = day;
    while (d > 0 && !this.clock.isWorkingDay(d)) d--;
    return d;
  }

  private nextWorkingDay(day: number): number {
    let d = day;
    while (!this.clock.isWorkingDay(d)) d++;
    return d;
  }

  private randomWorkMs(fromMs: number, toMs: number): number {
    return this.clock.msAtWork(this.rng.between(this.clock.workAt(fromMs), this.clock.workAt(toMs)));
  }

  private randomEstimate(): number {
    return this.rng.weighted(ESTIMATE_WEIGHTS);
  }

  private neighbourEstimate(value: number, direction: 'up' | 'down'): number {
    const i = FIBONACCI.findIndex((f) => f >= value);
    const at = i < 0 ? FIBONACCI.length - 1 : i;
    const next = direction === 'up' ? Math.min(at + 1, FIBONACCI.length - 1) : Math.max(at - 1, 0);
    const result = FIBONACCI[next]!;
    return result === value ? FIBONACCI[direction === 'up' ? Math.max(at - 1, 0) : Math.min(at + 1, FIBONACCI.length - 1)]! : result;
  }

  private build(): SimulatedTeam {
    return buildOutput({
      options: this.o,
      clock: this.clock,
      state: this.state,
      sprints: this.sprints,
      releases: this.releases,
      asOfMs: this.asOfMs,
      features: [...this.featureOf]
        .filter(([epic]) => epic.exists)
        .map(([epic, feature]) => ({ feature, epic, ...this.featureDone.get(epic) })),
      team: {
        workingDays: WORKING_DAYS,
        workingHours: WORKING_HOURS,
        goalLabel: GOAL_LABEL,
      },
    });
  }
}
