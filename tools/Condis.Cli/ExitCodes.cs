namespace Condis.Cli;

/// <summary>The CLI's exit codes; scripts rely on these numbers.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int VerifyMismatch = 1;
    public const int Usage = 2;
    public const int BadInput = 3;
}
