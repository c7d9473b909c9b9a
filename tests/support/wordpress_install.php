<?php
// Install WordPress for tests/support/wordpress.py without a browser (wp-cli is not in Debian).
// Loads the same Debian config as the server, creates the site and its administrator, points
// uploads at the test's directory, creates an Application Password and prints it as JSON.
// Input comes from the environment: INTAKE_WP_CONFIG, INTAKE_WP_HOST, INTAKE_WP_URL,
// INTAKE_WP_UPLOADS, INTAKE_WP_USER, INTAKE_WP_PASSWORD, INTAKE_WP_EMAIL.
$_SERVER['HTTP_HOST'] = getenv('INTAKE_WP_HOST');
$_SERVER['WORDPRESS_CONFIG'] = getenv('INTAKE_WP_CONFIG');
$_SERVER['REQUEST_URI'] = '/';

define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';

// No network during install: wp_install() probes pretty permalinks with an HTTP request to the
// site (which is not served yet); refusing it makes the outcome "plain permalinks" every time.
add_filter('pre_http_request', function () {
    return new WP_Error('intake_tests_offline', 'No HTTP during the test install.');
});

// Pluggable: the install would otherwise try to mail the administrator.
function wp_new_blog_notification($blog_title, $blog_url, $user_id, $password) {
}

require_once ABSPATH . 'wp-admin/includes/upgrade.php';

$installed = wp_install('Portraits (tests)', getenv('INTAKE_WP_USER'), getenv('INTAKE_WP_EMAIL'),
                        false, '', wp_slash(getenv('INTAKE_WP_PASSWORD')));
update_option('upload_path', getenv('INTAKE_WP_UPLOADS'));
update_option('upload_url_path', getenv('INTAKE_WP_URL') . '/wp-content/uploads');

$created = WP_Application_Passwords::create_new_application_password(
    $installed['user_id'], array('name' => 'Portrait intake tests'));
if (is_wp_error($created)) {
    fwrite(STDERR, $created->get_error_message() . "\n");
    exit(1);
}
echo json_encode(array(
    'user_id' => $installed['user_id'],
    'app_password' => $created[0],
    'permalink_structure' => get_option('permalink_structure'),
));
