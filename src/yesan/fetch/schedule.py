"""The lines that run ``yesan fetch`` once a day: a crontab line, or a systemd service with its timer."""

from __future__ import annotations

import shlex
from typing import Final

#: 06:30 in Korea: the portals publish the previous day's execution overnight (see docs/fetch.md).
DAILY_AT_KST: Final = "06:30"


def daily(command: list[str], *, key_variable: str) -> dict[str, str]:
    """``crontab``, ``service`` and ``timer`` texts for running ``command`` every day (the key stays out of them)."""
    line = " ".join(shlex.quote(part) for part in command)
    hour, minute = DAILY_AT_KST.split(":")
    crontab = (
        f"# yesan: a new execution snapshot every day at {DAILY_AT_KST} KST; exit 3 (quota) resumes the next day.\n"
        f"# The key comes from the environment or ~/.config/yesan/config.toml, never from this line.\n"
        f"CRON_TZ=Asia/Seoul\n"
        f'{int(minute)} {int(hour)} * * * {line} >> "$HOME/.cache/yesan/fetch.log" 2>&1\n'
    )
    service = (
        "[Unit]\n"
        "Description=yesan: fetch today's official budget snapshot\n"
        "Wants=network-online.target\nAfter=network-online.target\n\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"# {key_variable}=… in this file (chmod 600), or the [keys] table of ~/.config/yesan/config.toml\n"
        "EnvironmentFile=-%h/.config/yesan/fetch.env\n"
        f"ExecStart={line}\n"
        "# 3: the daily quota stopped the run; the checkpoint is kept and tomorrow's run resumes it\n"
        "SuccessExitStatus=3\n"
    )
    timer = (
        "[Unit]\nDescription=yesan: daily official budget snapshot\n\n"
        "[Timer]\n"
        f"OnCalendar=*-*-* {DAILY_AT_KST}:00 Asia/Seoul\n"
        "Persistent=true\nRandomizedDelaySec=10min\n\n"
        "[Install]\nWantedBy=timers.target\n"
    )
    return {"crontab": crontab, "yesan-fetch.service": service, "yesan-fetch.timer": timer}
