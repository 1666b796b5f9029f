namespace RescueKit.Net.Tftp;

/// <summary>RFC 1350 §5 opcodes, plus OACK from RFC 2347.</summary>
internal enum TftpOpcode : ushort { Rrq = 1, Wrq = 2, Data = 3, Ack = 4, Error = 5, Oack = 6 }
