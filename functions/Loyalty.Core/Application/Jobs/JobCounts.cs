using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Loyalty.Core.Application.Jobs;

/// <summary>
/// Named counters of a job ("reviewed", "downgraded", …): what a shard did, summed into what a run did. Immutable;
/// zero counters are dropped, so two counts are equal when every counter is. Serialises as a plain JSON object, so a
/// Durable activity can return it.
/// </summary>
public sealed class JobCounts : IEquatable<JobCounts>
{
    public static readonly JobCounts Zero = new(ImmutableSortedDictionary<string, long>.Empty.WithComparers(StringComparer.Ordinal));

    private readonly ImmutableSortedDictionary<string, long> values;

    private JobCounts(ImmutableSortedDictionary<string, long> values) => this.values = values;

    [JsonConstructor]
    public JobCounts(IReadOnlyDictionary<string, long> values)
        : this(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, (values ?? ImmutableDictionary<string, long>.Empty).Where(v => v.Value != 0)))
    {
    }

    /// <summary>The non-zero counters, by name.</summary>
    public IReadOnlyDictionary<string, long> Values => values;

    /// <summary>A counter's value; zero if never counted.</summary>
    public long this[string name] => values.GetValueOrDefault(name);

    [JsonIgnore]
    public bool IsZero => values.IsEmpty;

    public JobCounts Add(string name, long amount)
    {
        if (amount == 0) return this;
        var total = this[name] + amount;
        return new(total == 0 ? values.Remove(name) : values.SetItem(name, total));
    }

    public JobCounts Add(JobCounts other)
    {
        var sum = this;
        foreach (var (name, amount) in other.values) sum = sum.Add(name, amount);
        return sum;
    }

    public static JobCounts operator +(JobCounts left, JobCounts right) => left.Add(right);

    public static JobCounts Sum(IEnumerable<JobCounts> counts) => counts.Aggregate(Zero, (sum, next) => sum.Add(next));

    public bool Equals(JobCounts? other) => other is not null && values.Count == other.values.Count && values.All(v => other[v.Key] == v.Value);

    public override bool Equals(object? obj) => Equals(obj as JobCounts);

    public override int GetHashCode() => values.Aggregate(0, (hash, v) => HashCode.Combine(hash, v.Key, v.Value));

    public override string ToString() => values.IsEmpty ? "(nothing)" : string.Join(", ", values.Select(v => $"{v.Key} {v.Value:N0}"));
}
