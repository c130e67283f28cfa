using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using KvActors.Store;
using static KvActors.Replication.ReplicationMessages;

namespace KvActors.Replication.Wire;

/// <summary>
/// Akka serializer for the replication protocol (<see cref="ReplicationMessages"/> and
/// <see cref="PositionDocument"/>): System.Text.Json documents with a short string manifest per type.
/// Bound to exactly these types in <c>akka.hocon</c>, where every other type is refused
/// (<c>allow-unregistered-types = false</c>), so no type name ever travels and nothing else is read.
/// </summary>
/// <remarks>
/// Akka's default JSON serializer (Newtonsoft with type names) would let a peer name the type to
/// build, and it mangles <see cref="JsonElement"/> values. Here a value travels as the JSON it is,
/// and every entry read is checked by <see cref="EntryDocument.ToEntry"/>; a malformed message
/// fails with a <see cref="SerializationException"/>, which Akka logs and drops.
/// </remarks>
public sealed class ReplicationSerializer : SerializerWithStringManifest
{
    private const string ReplicateManifest = "replicate";
    private const string ReplicatedManifest = "replicated";
    private const string FailedManifest = "replication-failed";
    private const string ReadPositionManifest = "read-position";
    private const string PositionManifest = "position";

    // The web defaults (camelCase) of every replication document, the HTTP ones included. The depth:
    // deeper than any accepted value (61 levels) plus the document around it, shallower than anything
    // that could exhaust the stack.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { MaxDepth = 70 };

    /// <summary>Created by Akka from <c>akka.actor.serializers</c>.</summary>
    /// <param name="system">The actor system.</param>
    public ReplicationSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    /// <summary>This serializer's id in <c>akka.actor.serialization-identifiers</c>.</summary>
    public const int Id = 4711;

    /// <inheritdoc />
    public override int Identifier => Id;

    /// <inheritdoc />
    public override string Manifest(object o) => o switch
    {
        Replicate => ReplicateManifest,
        Replicated => ReplicatedManifest,
        ReplicationFailed => FailedManifest,
        ReadPosition => ReadPositionManifest,
        PositionDocument => PositionManifest,
        _ => throw new ArgumentException($"{o?.GetType().Name} is not a replication message", nameof(o)),
    };

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => obj switch
    {
        Replicate r => JsonSerializer.SerializeToUtf8Bytes(EntryDocument.From(r.Entry), Json),
        Replicated r => JsonSerializer.SerializeToUtf8Bytes(r, Json),
        ReplicationFailed f => JsonSerializer.SerializeToUtf8Bytes(f, Json),
        ReadPosition => "{}"u8.ToArray(),
        PositionDocument p => JsonSerializer.SerializeToUtf8Bytes(p, Json),
        _ => throw new ArgumentException($"{obj?.GetType().Name} is not a replication message", nameof(obj)),
    };

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            return manifest switch
            {
                ReplicateManifest => new Replicate(Read<EntryDocument>(bytes).ToEntry()),
                ReplicatedManifest => Checked(Read<Replicated>(bytes)),
                FailedManifest => Checked(Read<ReplicationFailed>(bytes)),
                ReadPositionManifest => ReadPosition.Instance,
                PositionManifest => Checked(Read<PositionDocument>(bytes)),
                _ => throw new SerializationException($"unknown replication manifest '{manifest}'"),
            };
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException or NotSupportedException)
        {
            throw new SerializationException($"a malformed '{manifest}' message ({bytes.Length} bytes): {ex.Message}", ex);
        }
    }

    private static T Read<T>(byte[] bytes) =>
        JsonSerializer.Deserialize<T>(bytes, Json) ?? throw new FormatException("the message is JSON null");

    private static T Checked<T>(T reply)
        where T : IReply =>
        string.IsNullOrEmpty(reply.Follower) || reply.Seq < 0
            ? throw new FormatException("'follower' is missing or 'seq' is negative")
            : reply;

    private static PositionDocument Checked(PositionDocument position)
    {
        if (string.IsNullOrEmpty(position.Node) || position.Epoch < 0 || position.AppliedSeq < 0 || position.HeldBack is null
            || position.Url is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
        {
            throw new FormatException("a required field is missing or negative, or 'url' is not an http(s) URL");
        }

        // Each held-back entry is checked like a pushed one; a malformed one refuses the whole answer.
        foreach (var entry in position.HeldBack)
        {
            _ = entry.ToEntry();
        }

        return position;
    }
}
