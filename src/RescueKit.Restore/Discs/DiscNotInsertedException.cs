using RescueKit.Core;

namespace RescueKit.Restore.Discs;

/// <summary>The person gave up on inserting a disc the restore needs, or there was no one to ask.</summary>
public sealed class DiscNotInsertedException(string message) : RescueKitException(message, ExitCodes.Cancelled);
