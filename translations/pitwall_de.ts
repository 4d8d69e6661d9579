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
