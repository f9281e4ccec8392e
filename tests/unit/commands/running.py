from streams.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run `onething ARGV` in-process: its exit code, standard output and standard error."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
