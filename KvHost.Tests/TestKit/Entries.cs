using System.Text.Json;
using KvActors.Store;

namespace KvHost.Tests.TestKit;

/// <summary>Builds log entries and commands.</summary>
public static class Entries
{
    public static LogEntry Put(long seq, string key, object value, long epoch = 1) =>
        new(epoch, seq, WriteOp.Put, key, JsonSerializer.SerializeToElement(value));

    public static LogEntry Delete(long seq, string key, long epoch = 1) =>
        new(epoch, seq, WriteOp.Delete, key, null);

    public static WriteCommand PutCommand(string key, object value) =>
        new(WriteOp.Put, key, JsonSerializer.SerializeToElement(value));
}
