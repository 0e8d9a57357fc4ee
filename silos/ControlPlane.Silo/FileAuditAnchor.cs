using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ControlPlane.Grains.Audit;

namespace ControlPlane.Silo;

/// <summary>
/// The durable mode's anchor of the audit chain: one line in a file on the silos' host
/// (ControlPlane:Audit:AnchorFile), signed with HMAC-SHA256 under a key only the silos read
/// (ControlPlane:Audit:AnchorKeyFile). The database holds neither, so whoever can rewrite its tables
/// cannot make a chain the anchor agrees with. Replaced whole (a new file moved over the old one).
/// </summary>
public sealed class FileAuditAnchor(string file, byte[] key) : IAuditAnchor
{
    private const string Version = "cp-audit-anchor-v1";

    public bool Enabled => true;

    /// <summary>The anchor of <paramref name="file"/> with the key of <paramref name="keyFile"/>; the problem, naming the setting, otherwise.</summary>
    public static FileAuditAnchor Open(string file, string keyFile)
    {
        if (keyFile.Length == 0) throw new InvalidOperationException($"{AuditOptions.Section}:AnchorKeyFile is required with {AuditOptions.Section}:AnchorFile");
        var key = File.Exists(keyFile) ? Encoding.ASCII.GetBytes(File.ReadAllText(keyFile).Trim())
            : throw new InvalidOperationException($"{AuditOptions.Section}:AnchorKeyFile: '{keyFile}' does not exist");
        if (key.Length < 32) throw new InvalidOperationException($"{AuditOptions.Section}:AnchorKeyFile: '{keyFile}' holds fewer than 32 bytes");
        var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        if (!Directory.Exists(directory)) throw new InvalidOperationException($"{AuditOptions.Section}:AnchorFile: folder '{directory}' does not exist");
        return new FileAuditAnchor(Path.GetFullPath(file), key);
    }

    public async Task<AuditAnchor?> ReadAsync(CancellationToken cancellationToken = default)
    {
        string line;
        try
        {
            line = (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        var parts = line.Split(' ');
        if (parts.Length != 7 || parts[0] != Version) throw new AuditAnchorException($"'{file}' is not an anchor file");
        var signed = string.Join(' ', parts[..6]);
        if (!CryptographicOperations.FixedTimeEquals(Convert.FromHexString(Sign(signed)), TryHex(parts[6])))
        {
            throw new AuditAnchorException($"the signature of '{file}' does not hold: it was written without the anchor key");
        }
        return new AuditAnchor(long.Parse(parts[1], CultureInfo.InvariantCulture), parts[2], long.Parse(parts[3], CultureInfo.InvariantCulture), parts[4],
            DateTimeOffset.Parse(parts[5], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
    }

    public async Task WriteAsync(AuditAnchor anchor, CancellationToken cancellationToken = default)
    {
        var signed = string.Join(' ', Version, anchor.Sequence.ToString(CultureInfo.InvariantCulture), anchor.Hash,
            anchor.CheckpointSequence.ToString(CultureInfo.InvariantCulture), anchor.CheckpointHash, anchor.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        var temporary = $"{file}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(temporary, create))
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{signed} {Sign(signed)}\n"), cancellationToken);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, file, overwrite: true);
    }

    private string Sign(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(text)));

    private static byte[] TryHex(string text)
    {
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            return [];
        }
    }
}
