using KvActors.Store;

namespace KvHost.Tests.TestKit;

/// <summary>
/// Stored state and log as lines of text (raw JSON, seqs, epochs), so that a spec compares what
/// storage returned with what was written in one assertion that shows every difference.
/// </summary>
public static class StoredText
{
    /// <summary>"epoch E seq S", then one "key=rawJson@seq" per item in key order.</summary>
    public static List<string> Of(StoreSnapshot state) =>
        [$"epoch {state.Epoch} seq {state.AppliedSeq}", .. state.Items.Select(i => $"{i.Key}={i.Value.Value.GetRawText()}@{i.Value.Seq}")];

    /// <summary>One "epoch/seq Op key rawJson" per entry ("-" for a delete's value), in the given order.</summary>
    public static List<string> Of(IEnumerable<LogEntry> log) =>
        [.. log.Select(e => $"{e.Epoch}/{e.Seq} {e.Op} {e.Key} {e.Value?.GetRawText() ?? "-"}")];
}
