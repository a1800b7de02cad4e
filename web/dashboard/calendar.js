// Which days a campaign's schedule picks, as the API's CampaignSchedule.OccursOn decides it (local dates of the
// program's time zone): once on its date, weekly on its weekdays, monthly on its days, annually in its date ranges,
// always within the optional start and end dates.

const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** `date` is a yyyy-MM-dd string. */
export function occursOn(schedule, date) {
  if ((schedule.startDate && date < schedule.startDate) || (schedule.endDate && date > schedule.endDate)) return false;
  const [year, month, day] = date.split('-').map(Number);
  const inMonths = !schedule.months?.length || schedule.months.includes(month);
  switch (schedule.kind) {
    case 'once':
      return date === schedule.date;
    case 'weekly':
      return (schedule.daysOfWeek ?? []).includes(weekdays[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]) && inMonths;
    case 'monthly':
      return (schedule.daysOfMonth ?? []).includes(day) && inMonths;
    case 'annual':
      return (schedule.dates ?? []).some(range => {
        const value = month * 100 + day;
        const from = range.from.month * 100 + range.from.day;
        const to = range.to.month * 100 + range.to.day;
        return from <= to ? value >= from && value <= to : value >= from || value <= to;
      });
    default:
      return false;
  }
}

/** The weeks (Monday first) of the month of `year`/`month` (1-12) as yyyy-MM-dd strings, padded with neighbouring days. */
export function monthGrid(year, month) {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const start = new Date(first);
  start.setUTCDate(1 - ((first.getUTCDay() + 6) % 7));
  const days = [];
  for (let day = new Date(start); days.length < 42; day.setUTCDate(day.getUTCDate() + 1)) {
    days.push(day.toISOString().slice(0, 10));
    if (days.length % 7 === 0 && day.getUTCMonth() !== month - 1 && day > first) break;
  }
  return days;
}
