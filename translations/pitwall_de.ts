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
</context>
</TS>
