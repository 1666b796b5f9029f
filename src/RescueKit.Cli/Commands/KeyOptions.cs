using System.CommandLine;
using RescueKit.Backup.Sets;
using RescueKit.Core;

namespace RescueKit.Cli.Commands;

/// <summary>--key-file and --passphrase-file, which backup, verify, extract and compare take alike.</summary>
internal sealed class KeyOptions
{
    private readonly Option<string?> _keyFile = new("--key-file") { Description = "File holding the 32-byte AES-256 key" };
    private readonly Option<string?> _passphraseFile = new("--passphrase-file")
    {
        Description = "File holding the passphrase (PBKDF2-SHA256; a trailing newline is ignored)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_keyFile);
        command.Options.Add(_passphraseFile);
    }

    /// <summary>What to do about a backup opened without its kind of secret, in this command line's words.</summary>
    public static string Wording(BackupKeyNeededException e) =>
        $"{e.Problem}: pass {(e.NeedsKeyFile ? "--key-file FILE" : "--passphrase-file FILE")}";

    /// <summary>The secret's source, or null when neither option is given; both at once is refused.</summary>
    public BackupKey.Source? Source(ParseResult result)
    {
        var keyFile = result.GetValue(_keyFile);
        var passphraseFile = result.GetValue(_passphraseFile);
        if (keyFile is not null && passphraseFile is not null)
            throw new BadInputException("give either --key-file or --passphrase-file, not both");
        return keyFile is null && passphraseFile is null ? null : new BackupKey.Source(keyFile, passphraseFile);
    }
}
