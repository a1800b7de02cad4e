using System.Text;

namespace Loyalty.Core.Application.Jobs;

/// <summary>
/// How a Durable orchestration splits a plan: shards are handed out in waves, one sub-orchestration per wave, so no
/// single orchestration history holds more than <see cref="WaveSize"/> activity results (a history is replayed in
/// full on every step, and a 1,024-shard fan-out in one history would replay ever more slowly).
/// </summary>
public static class JobWaves
{
    public const int WaveSize = 64;

    /// <summary>The plan's shards in waves of at most <paramref name="size"/>, in plan order.</summary>
    public static IReadOnlyList<IReadOnlyList<int>> Waves(this JobPlan plan, int size = WaveSize)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        return [.. plan.Shards.Chunk(size).Select(wave => (IReadOnlyList<int>)wave)];
    }

    /// <summary>
    /// The Durable instance id of a run ("nightly-review-demo-20270101"): derived from the key alone, so a second start
    /// of the same run finds the first instead of starting another. Characters Durable refuses in instance ids
    /// ('/', '\', '#', '?', control characters) become '-'.
    /// </summary>
    public static string InstanceId(this JobKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var id = new StringBuilder($"{key.Job}-{key.ProgramId}-{key.Run}");
        for (var i = 0; i < id.Length; i++)
            if (id[i] is '/' or '\\' or '#' or '?' || char.IsControl(id[i])) id[i] = '-';
        return id.ToString();
    }

    /// <summary>The instance id of a wave's sub-orchestration under its run's instance.</summary>
    public static string WaveInstanceId(string runInstanceId, int wave) => $"{runInstanceId}-wave{wave:D3}";
}
