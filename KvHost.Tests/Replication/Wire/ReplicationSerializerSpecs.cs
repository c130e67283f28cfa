using System.Runtime.Serialization;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using KvActors.Replication;
using KvActors.Replication.Wire;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Replication.Wire;

/// <summary>The replication protocol on the wire: JSON with a manifest, every entry checked as it is read.</summary>
public sealed class ReplicationSerializerSpecs : ActorSpec
{
    private ReplicationSerializer Serializer => new((ExtendedActorSystem)Sys);

    public static TheoryData<string, string> MalformedEntries => MalformedRequests.MalformedEntries;

    [Fact]
    public void Serializer_round_trips_every_protocol_message_as_JSON_naming_no_type()
    {
        object[] messages =
        [
            new ReplicationMessages.Replicate(Entries.Put(7, "k", new { nested = new[] { 1, 2 }, text = "héllo \"quoted\"" }, epoch: 3)),
            new ReplicationMessages.Replicate(Entries.Delete(8, "k", epoch: 3)),
            new ReplicationMessages.Replicated("follower1", 7, 6),
            new ReplicationMessages.ReplicationFailed("follower2", 7, "stale epoch"),
            ReplicationMessages.ReadPosition.Instance,
            new PositionDocument("follower3", 3, 6, [EntryDocument.From(Entries.Put(8, "h", 8, epoch: 3))], new Uri("http://follower3:8080/")),
        ];

        foreach (var message in messages)
        {
            var bytes = Serializer.ToBinary(message);
            var back = Serializer.FromBinary(bytes, Serializer.Manifest(message));

            Encoding.UTF8.GetString(bytes).Should().NotContain("KvActors", "no .NET type name travels");
            JsonSerializer.Serialize(back).Should().Be(JsonSerializer.Serialize(message));
        }
    }

    [Fact]
    public void Serializer_is_the_one_akka_hocon_binds_to_the_protocol_and_others_are_refused()
    {
        var serialization = Sys.Serialization;

        serialization.FindSerializerFor(new ReplicationMessages.Replicated("f", 1, 1)).Should().BeOfType<ReplicationSerializer>();
        serialization.FindSerializerFor(new PositionDocument("f", 1, 1, [], new Uri("http://f:1"))).Should().BeOfType<ReplicationSerializer>();
        var other = () => serialization.FindSerializerFor(new Uri("http://not-a-protocol-message"));
        other.Should().Throw<SerializationException>("strict serialization: a type without a binding never crosses the wire");
    }

    [Fact]
    public void Serializer_carries_a_value_of_MAX_VALUE_BYTES()
    {
        var value = new string('v', 1_048_576 - 2);
        var message = new ReplicationMessages.Replicate(Entries.Put(1, "big", value));

        var back = (ReplicationMessages.Replicate)Serializer.FromBinary(Serializer.ToBinary(message), "replicate");

        back.Entry.Value!.Value.GetString().Should().Be(value);
    }

    [Theory]
    [MemberData(nameof(MalformedEntries))]
    public void Serializer_refuses_a_malformed_entry_before_any_store_sees_it(string name, string json)
    {
        var read = () => Serializer.FromBinary(Encoding.UTF8.GetBytes(json), "replicate");

        read.Should().Throw<SerializationException>(name);
    }

    [Fact]
    public void Serializer_refuses_an_unknown_manifest_and_a_position_without_a_url()
    {
        var unknown = () => Serializer.FromBinary("{}"u8.ToArray(), "System.Object");
        var position = () => Serializer.FromBinary("""{"node": "f", "epoch": 1, "appliedSeq": 0, "heldBack": []}"""u8.ToArray(), "position");

        unknown.Should().Throw<SerializationException>();
        position.Should().Throw<SerializationException>();
    }
}
