namespace ControlPlane.Faults.Hostile;

/// <summary>
/// Bytes that are not a valid protobuf message of any type, each broken in its own way. None parses, so none can reach a
/// method as an empty request (which, for a change without required fields, would make the change).
/// </summary>
public static class MalformedBodies
{
    /// <summary>
    /// Field 2 (a CreateInstanceRequest's tenant_id), length-delimited, holding bytes that are not UTF-8: appended to such a request,
    /// it is malformed. (Sent where field 2 is unknown, the parser keeps it undecoded as an unknown field and the message parses.)
    /// </summary>
    public static byte[] InvalidUtf8TenantId() => [0x12, 0x04, 0xC3, 0x28, 0xFF, 0xFE];

    /// <summary>Field 1 announces 50 bytes and 3 follow.</summary>
    public static byte[] Truncated() => [0x0A, 0x32, (byte)'a', (byte)'b', (byte)'c'];

    /// <summary>Field 2 as a varint of 11 bytes, each with its continuation bit set.</summary>
    public static byte[] BadVarint() => [0x10, .. Enumerable.Repeat((byte)0xFF, 11)];

    /// <summary>Groups of an unknown field nested <paramref name="depth"/> deep: beyond the parser's recursion limit (100).</summary>
    public static byte[] DeepNesting(int depth = 200) =>
        [.. Enumerable.Repeat((byte)0x7B, depth), .. Enumerable.Repeat((byte)0x7C, depth)];

    /// <summary>A tag with wire type 7, which does not exist.</summary>
    public static byte[] InvalidWireType() => [0x0F, 0x01];

    /// <summary>An end-group tag with no group open.</summary>
    public static byte[] UnmatchedEndGroup() => [0x0C];
}
