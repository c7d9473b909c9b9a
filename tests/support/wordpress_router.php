<?php
// Router for PHP's built-in server, used by tests/support/wordpress.py.
// Picks this test site's Debian config (/etc/wordpress/config-$INTAKE_WP_CONFIG.php) and
// serves the site's uploads from its temporary directory; WordPress handles everything else.
$_SERVER['WORDPRESS_CONFIG'] = getenv('INTAKE_WP_CONFIG');

$prefix = '/wp-content/uploads/';
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH));
if (strncmp($path, $prefix, strlen($prefix)) !== 0) {
    return false;
}
$root = realpath(getenv('INTAKE_WP_UPLOADS'));
$file = realpath($root . '/' . substr($path, strlen($prefix)));
if ($file === false || strncmp($file, $root . '/', strlen($root) + 1) !== 0 || !is_file($file)) {
    http_response_code(404);
    exit;
}
header('Content-Type: ' . mime_content_type($file));
header('Content-Length: ' . filesize($file));
readfile($file);
