<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>CommandLine</name>
    <message>
        <source>Directory for the database and state files.</source>
        <translation>Verzeichnis für die Datenbank und die Statusdateien.</translation>
    </message>
    <message>
        <source>HTTP/WebSocket listen address (BIND_ADDR).</source>
        <translation>HTTP/WebSocket-Adresse, auf der gelauscht wird (BIND_ADDR).</translation>
    </message>
    <message>
        <source>trace, debug, info, warn or error (LOG_LEVEL).</source>
        <translation>trace, debug, info, warn oder error (LOG_LEVEL).</translation>
    </message>
    <message>
        <source>text or json (LOG_FORMAT).</source>
        <translation>text oder json (LOG_FORMAT).</translation>
    </message>
    <message>
        <source>postgres://user:pass@host:port/db; default SQLite in the data dir (DATABASE_URL).</source>
        <translation>postgres://benutzer:passwort@host:port/db; Standard ist SQLite im Datenverzeichnis (DATABASE_URL).</translation>
    </message>
    <message>
        <source>Pitwall: VOD queue, timing relay and transcoder governor in one console.</source>
        <translation>Pitwall: VOD-Warteschlange, Zeitmess-Relay und Transcoder-Steuerung in einer Konsole.</translation>
    </message>
    <message>
        <source>Run headless: no window, no display needed.</source>
        <translation>Ohne Oberfläche laufen: kein Fenster, keine Anzeige nötig.</translation>
    </message>
    <message>
        <source>YAML configuration file.</source>
        <translation>YAML-Konfigurationsdatei.</translation>
    </message>
    <message>
        <source>Run the watch scanner with this watch-config.yaml (WATCH_CONFIG).</source>
        <translation>Den Watch-Scanner mit dieser watch-config.yaml starten (WATCH_CONFIG).</translation>
    </message>
</context>
<context>
    <name>Pitwall::HelperClient</name>
    <message>
        <source>Another limits request is still waiting for its answer.</source>
        <translation>Eine andere Anfrage zu Limits wartet noch auf ihre Antwort.</translation>
    </message>
    <message>
        <source>Cannot start %1: %2</source>
        <translation>%1 kann nicht gestartet werden: %2</translation>
    </message>
    <message>
        <source>The authentication dialog was dismissed; nothing was changed.</source>
        <translation>Der Authentifizierungsdialog wurde abgebrochen; nichts wurde geändert.</translation>
    </message>
    <message>
        <source>Not authorized to change cgroup limits (or pkexec could not run the helper): %1</source>
        <translation>Keine Berechtigung, cgroup-Limits zu ändern (oder pkexec konnte den Helfer nicht starten): %1</translation>
    </message>
    <message>
        <source>The helper exited with code %1 without an answer: %2</source>
        <translation>Der Helfer wurde mit Code %1 ohne Antwort beendet: %2</translation>
    </message>
    <message>
        <source>The helper refused (%1): %2</source>
        <translation>Der Helfer hat abgelehnt (%1): %2</translation>
    </message>
</context>
<context>
    <name>Pitwall::MainWindow</name>
    <message>
        <source>Pitwall</source>
        <translation>Pitwall</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Reload watch configuration</source>
        <translation>Watch-Konfiguration neu &amp;laden</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>API on %1:%2</source>
        <translation>API auf %1:%2</translation>
    </message>
    <message>
        <source>Database (%1): ready</source>
        <translation>Datenbank (%1): bereit</translation>
    </message>
    <message>
        <source>Database (%1): not ready</source>
        <translation>Datenbank (%1): nicht bereit</translation>
    </message>
    <message>
        <source>Watch configuration reload requested; the log shows the result</source>
        <translation>Neuladen der Watch-Konfiguration angefordert; das Protokoll zeigt das Ergebnis</translation>
    </message>
</context>
<context>
    <name>Pitwall::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Govern ffmpeg/GStreamer processes (watch scanner)</source>
        <translation>ffmpeg-/GStreamer-Prozesse steuern (Watch-Scanner)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Configuration file:</source>
        <translation>Konfigurationsdatei:</translation>
    </message>
    <message>
        <source>Changes take effect the next time the console starts. A watch configuration given with --watch-config or WATCH_CONFIG is used instead of this one. To re-read the file of a running watch scanner, use File &gt; Reload watch configuration.</source>
        <translation>Änderungen gelten ab dem nächsten Start der Konsole. Eine mit --watch-config oder WATCH_CONFIG angegebene Watch-Konfiguration wird stattdessen verwendet. Um die Datei eines laufenden Watch-Scanners neu einzulesen: Datei &gt; Watch-Konfiguration neu laden.</translation>
    </message>
    <message>
        <source>Watch scanner</source>
        <translation>Watch-Scanner</translation>
    </message>
    <message>
        <source>Choose a watch configuration file to enable the watch scanner.</source>
        <translation>Zum Einschalten des Watch-Scanners eine Watch-Konfigurationsdatei wählen.</translation>
    </message>
    <message>
        <source>The watch configuration does not load: %1</source>
        <translation>Die Watch-Konfiguration lässt sich nicht laden: %1</translation>
    </message>
    <message>
        <source>Watch configuration file</source>
        <translation>Watch-Konfigurationsdatei</translation>
    </message>
    <message>
        <source>YAML files (*.yaml *.yml);;All files (*)</source>
        <translation>YAML-Dateien (*.yaml *.yml);;Alle Dateien (*)</translation>
    </message>
</context>
</TS>
