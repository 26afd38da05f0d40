import {
  ACTION_JUDGEMENTS,
  ACTION_STATUSES,
  actionJudgementLabels,
  actionStatusLabels,
  FOCUS_AREAS,
  focusAreaLabels,
  goalJudgementLabels,
  periodKindLabels,
  periodTitle,
  PERSPECTIVES,
  perspectiveLabels,
  type ActionJudgement,
  type ActionStatus,
  type FocusArea,
  type GoalJudgement,
  type IndicatorDirection,
  type PeriodKind,
  type Perspective,
} from "./labels";

/**
 * The tertial report as plain figures. `buildReport` is the only place that counts; the page,
 * the PDF, the DOCX and the CSV all render what it returns, so they cannot disagree.
 */

export type ReportSource = {
  agreement: { id: string; title: string; periodStartYear: number; periodEndYear: number };
  period: { id: string; kind: PeriodKind; year: number; deadline: string; startsOn: string; endsOn: string };
  problems: Array<{ id: string; title: string }>;
  goals: Array<{ id: string; title: string; problemId: string | null }>;
  items: Array<{
    id: string;
    number: number;
    listTitle: string;
    title: string;
    responsible: string;
    status: ActionStatus;
    judgement: ActionJudgement | null;
    judgementReason: string;
    focusArea: FocusArea | null;
    perspectives: Perspective[];
    goalId: string | null;
    /** The owner's update for this period, when there is one; it wins over the item's current values. */
    update: { status: ActionStatus; judgement: ActionJudgement; judgementReason: string } | null;
  }>;
  indicators: Array<{
    id: string;
    goalId: string;
    name: string;
    unit: string;
    baseline: number | null;
    target: number | null;
    direction: IndicatorDirection;
    measurements: Array<{ period: string; periodEnd: string; value: number }>;
  }>;
  goalJudgements: Array<{ goalId: string; judgement: GoalJudgement; reasoning: string; judgedBy: string; judgedAt: string }>;
  promises: Array<{ id: string; title: string; area: string; year: number; targetCount: number; targetDescription: string; occurrences: Array<{ occurredOn: string; quantity: number }> }>;
};

export type JudgementCounts = { total: number; gron: number; gul: number; rod: number; ejBedomd: number };

export type Report = ReturnType<typeof buildReport>;

const NO_JUDGEMENT = "Ej bedömd";

function emptyCounts(): JudgementCounts {
  return { total: 0, gron: 0, gul: 0, rod: 0, ejBedomd: 0 };
}

function count(counts: JudgementCounts, judgement: ActionJudgement | null) {
  counts.total += 1;
  if (judgement) counts[judgement] += 1;
  else counts.ejBedomd += 1;
}

/** "1 234,5" the Swedish way, without grouping surprises in exports. */
export function formatNumber(value: number | null) {
  if (value === null) return "–";
  return Number.isInteger(value) ? String(value) : value.toLocaleString("sv-SE", { maximumFractionDigits: 2, useGrouping: false });
}

export function buildReport(source: ReportSource) {
  const { period } = source;
  const items = source.items.map((item) => {
    const status = item.update?.status ?? item.status;
    const judgement = item.update?.judgement ?? item.judgement;
    const judgementReason = item.update?.judgementReason ?? item.judgementReason;
    return {
      number: item.number,
      listTitle: item.listTitle,
      title: item.title,
      responsible: item.responsible,
      status,
      statusLabel: actionStatusLabels[status],
      judgement,
      judgementLabel: judgement ? actionJudgementLabels[judgement] : NO_JUDGEMENT,
      judgementReason,
      focusArea: item.focusArea,
      focusAreaLabel: item.focusArea ? focusAreaLabels[item.focusArea] : "Inget fokusområde",
      perspectiveLabels: item.perspectives.map((perspective) => perspectiveLabels[perspective]),
      perspectives: item.perspectives,
      goalId: item.goalId,
      goalTitle: source.goals.find((goal) => goal.id === item.goalId)?.title ?? "",
      updatedForPeriod: item.update !== null,
    };
  });
  items.sort((a, b) => a.listTitle.localeCompare(b.listTitle, "sv") || a.number - b.number);

  const byStatus = ACTION_STATUSES.map((status) => ({ status, label: actionStatusLabels[status], count: items.filter((item) => item.status === status).length }));
  const byJudgement = [
    ...ACTION_JUDGEMENTS.map((judgement) => ({ judgement: judgement as ActionJudgement | null, label: actionJudgementLabels[judgement], count: items.filter((item) => item.judgement === judgement).length })),
    { judgement: null, label: NO_JUDGEMENT, count: items.filter((item) => item.judgement === null).length },
  ];
  const byFocusArea = [...FOCUS_AREAS, null].map((area) => {
    const counts = emptyCounts();
    for (const item of items) if (item.focusArea === area) count(counts, item.judgement);
    return { focusArea: area, label: area ? focusAreaLabels[area] : "Inget fokusområde", ...counts };
  }).filter((row) => row.focusArea !== null || row.total > 0);
  const byPerspective = PERSPECTIVES.map((perspective) => {
    const counts = emptyCounts();
    for (const item of items) if (item.perspectives.includes(perspective)) count(counts, item.judgement);
    return { perspective, label: perspectiveLabels[perspective], ...counts };
  });

  const goals = source.goals.map((goal) => {
    const judged = source.goalJudgements.find((row) => row.goalId === goal.id);
    const indicators = source.indicators
      .filter((indicator) => indicator.goalId === goal.id)
      .map((indicator) => {
        const measurements = indicator.measurements
          .filter((measurement) => measurement.periodEnd <= period.endsOn)
          .sort((a, b) => a.periodEnd.localeCompare(b.periodEnd) || b.period.length - a.period.length)
          .map(({ period: label, value }) => ({ period: label, value }));
        const latest = measurements.at(-1)?.value ?? null;
        const targetReached =
          latest === null || indicator.target === null ? null : indicator.direction === "hogre_ar_battre" ? latest >= indicator.target : latest <= indicator.target;
        return {
          name: indicator.name,
          unit: indicator.unit,
          baseline: indicator.baseline,
          target: indicator.target,
          direction: indicator.direction,
          measurements,
          latest,
          targetReached,
          summary: `${indicator.name}: senaste värde ${formatNumber(latest)} ${indicator.unit}`.trim() +
            `, utgångsvärde ${formatNumber(indicator.baseline)}, mål ${formatNumber(indicator.target)}` +
            (targetReached === null ? "" : targetReached ? " (målet nås)" : " (målet nås inte än)"),
        };
      });
    return {
      id: goal.id,
      title: goal.title,
      problemTitle: source.problems.find((problem) => problem.id === goal.problemId)?.title ?? "",
      actionCount: items.filter((item) => item.goalId === goal.id).length,
      indicators,
      judgement: judged
        ? { judgement: judged.judgement, label: goalJudgementLabels[judged.judgement], reasoning: judged.reasoning, judgedBy: judged.judgedBy, judgedAt: judged.judgedAt }
        : null,
    };
  });

  const promises = source.promises.map((promise) => {
    // Occurrences count from the start of the promise's year to the end of the reported period.
    const done = promise.occurrences
      .filter(({ occurredOn }) => occurredOn >= `${promise.year}-01-01` && occurredOn <= period.endsOn)
      .reduce((sum, { quantity }) => sum + quantity, 0);
    return {
      title: promise.title,
      area: promise.area,
      year: promise.year,
      targetCount: promise.targetCount,
      targetDescription: promise.targetDescription,
      done,
      percent: promise.targetCount > 0 ? Math.min(100, Math.round((done / promise.targetCount) * 100)) : 0,
      reached: done >= promise.targetCount,
    };
  });

  return {
    agreement: source.agreement,
    period: { ...period, title: periodTitle(period.kind, period.year), kindLabel: periodKindLabels[period.kind] },
    actions: {
      total: items.length,
      updatedForPeriod: items.filter((item) => item.updatedForPeriod).length,
      byStatus,
      byJudgement,
      byFocusArea,
      byPerspective,
      items,
    },
    goals,
    promises,
  };
}
