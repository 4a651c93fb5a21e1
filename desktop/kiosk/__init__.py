"""The exhibit as a museum kiosk (`python -m desktop --kiosk`): two minutes a visitor, weeks with nobody near.

- `config`: the `[kiosk]` settings from the defaults, `--config FILE` and the flags (no Qt);
- `app`: the window made a kiosk: the story's bars (`bars`), the letter pad (`pad`), the overlays
  (`overlays`: "Still there?", the operator's PIN), finger-sized targets for the screen (`touch`);
- `lockdown`: nothing closes, quits, opens a menu or a file for a visitor; the operator leaves with a
  key chord and the PIN;
- `notify`: systemd's READY and watchdog pings from the window's own thread.

What happens when (the attract loop, the visit, the countdown, the reset) is the controllers':
`desktop.control.kiosk` and the story script it plays, `desktop.control.story`.
"""
