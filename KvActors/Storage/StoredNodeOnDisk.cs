namespace KvActors.Storage;

/// <summary>A durable node's storage, opened, with what it held when the node started.</summary>
/// <param name="Storage">The open storage; its owner (the node's store actor) writes it.</param>
/// <param name="Stored">What <see cref="NodeStorage.Load"/> returned at start.</param>
public sealed record StoredNodeOnDisk(NodeStorage Storage, StoredNode Stored);
