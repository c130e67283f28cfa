namespace KvHost.Tests.TestKit;

/// <summary>What a generated-request run sent and got, for the test's one-line summary and RELIABILITY.md.</summary>
public sealed class RequestCounts(string environment)
{
    public string Environment { get; } = environment;

    public int Requests { get; set; }

    public int Status2xx { get; set; }

    public int Status4xx { get; set; }

    public int Status5xx { get; set; }

    /// <summary>Requests that changed the leader's state (each one predicted by the model).</summary>
    public int StateChanges { get; set; }

    /// <summary>Replication requests without the right token, answered 401.</summary>
    public int ForgedRefused { get; set; }

    /// <summary>Requests Kestrel refused before the application saw them (a NUL in the path, a request line over 8 KB): a bare 400 or 414.</summary>
    public int RefusedByKestrel { get; set; }

    public static RequestCounts Sum(string environment, IEnumerable<RequestCounts> runs)
    {
        var sum = new RequestCounts(environment);
        foreach (var run in runs)
        {
            sum.Requests += run.Requests;
            sum.Status2xx += run.Status2xx;
            sum.Status4xx += run.Status4xx;
            sum.Status5xx += run.Status5xx;
            sum.StateChanges += run.StateChanges;
            sum.ForgedRefused += run.ForgedRefused;
            sum.RefusedByKestrel += run.RefusedByKestrel;
        }

        return sum;
    }

    public override string ToString() =>
        $"{Environment}: {Requests} requests, {Status2xx} 2xx, {Status4xx} 4xx, {Status5xx} 5xx, {StateChanges} state changes, " +
        $"{ForgedRefused} forged replication requests refused, {RefusedByKestrel} refused by Kestrel";
}
